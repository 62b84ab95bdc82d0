#!/usr/bin/env python
"""Write README.md from nbs/index.ipynb (quarto, which `nbdev_readme` needs, cannot be installed here).

Markdown cells are copied as they are; code cells become ```python blocks, followed by their text outputs;
cells marked `#| hide` are left out. `--check` exits 1 when README.md differs from what would be written.
"""
import json, sys
from pathlib import Path

root = Path(__file__).resolve().parents[1]

def render(nb_path):
    nb = json.loads(nb_path.read_text(encoding='utf-8'))
    parts = []
    for cell in nb['cells']:
        src = ''.join(cell['source']).strip('\n')
        lines = src.split('\n')
        if any(l.strip().replace(' ', '') in ('#|hide', '#|exporti', '#|export', '#|default_exp') or l.strip().startswith('#| default_exp')
               for l in lines[:3]): continue
        if cell['cell_type'] == 'markdown': parts.append(src)
        elif cell['cell_type'] == 'code':
            parts.append('```python\n' + src + '\n```')
            outs = []
            for o in cell.get('outputs', []):
                if o.get('output_type') == 'stream': outs.append(''.join(o['text']))
                elif 'data' in o and 'text/markdown' in o['data']: parts.append(''.join(o['data']['text/markdown']).strip('\n'))
                elif 'data' in o and 'text/plain' in o['data']: outs.append(''.join(o['data']['text/plain']))
            if outs: parts.append('```\n' + ''.join(outs).rstrip('\n') + '\n```')
    return '<!-- generated from nbs/index.ipynb by .ci/make_readme.py: edit the notebook, not this file -->\n\n' + '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    text = render(root / 'nbs' / 'index.ipynb')
    readme = root / 'README.md'
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text(encoding='utf-8') != text:
            sys.exit('README.md is out of date: run `python .ci/make_readme.py` and commit it')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        readme.write_text(text, encoding='utf-8'); print(f'wrote {readme}')
