#!/usr/bin/env python3
"""Render README.md from nbs/index.ipynb (nbdev-readme needs Quarto); `--check` fails if README.md is out of step.

The notebook links to files of the repository relatively (`../bench/results/...png`, `../CONTRIBUTING.md`), which the
docs resolve; the README is also the package index's project page, which cannot resolve relative paths, so there they
become absolute: images to raw.githubusercontent.com and other files to github.com, in the repository named by
`[project.urls] Repository` in pyproject.toml, on its `main` branch."""
import json, sys, re
from pathlib import Path
root = Path(__file__).resolve().parent.parent
nb = json.loads((root/'nbs'/'index.ipynb').read_text())
repo = re.search(r'^Repository\s*=\s*"https://github\.com/([^"]+?)/?"', (root/'pyproject.toml').read_text(), re.M).group(1)

def absolute_links(md):
    "`![alt](../path)` -> raw GitHub URL of path; `[text](../path)` -> its GitHub page"
    md = re.sub(r'(!\[[^\]]*\]\()\.\./', rf'\1https://raw.githubusercontent.com/{repo}/main/', md)
    return re.sub(r'(\[[^\]]*\]\()\.\./', rf'\1https://github.com/{repo}/blob/main/', md)
parts = []
for c in nb['cells']:
    src = ''.join(c['source']).strip('\n')
    if c['cell_type'] == 'markdown': parts.append(absolute_links(src))
    elif c['cell_type'] == 'code':
        lines = [l for l in src.split('\n') if not l.startswith('#|')]
        if any(l.startswith('#| hide') for l in src.split('\n')) or not lines: continue
        parts.append('```python\n' + '\n'.join(lines) + '\n```')
        outs = []
        for o in c.get('outputs', []):
            if 'text' in o: outs.append(''.join(o['text']))
            elif 'data' in o and 'text/plain' in o['data']: outs.append(''.join(o['data']['text/plain']))
        if outs: parts.append('```\n' + '\n'.join(outs).rstrip('\n') + '\n```')
text = '<!-- Generated from nbs/index.ipynb by .ci/readme.py: edit the notebook, not this file. -->\n\n' + '\n\n'.join(parts) + '\n'
if '--check' in sys.argv:
    if (root/'README.md').read_text() != text: print('README.md is out of step with nbs/index.ipynb'); sys.exit(1)
else: (root/'README.md').write_text(text)
