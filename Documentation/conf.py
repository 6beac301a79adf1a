# SPDX-License-Identifier: GPL-2.0
# Sphinx configuration of the kipc documentation: make docs builds it with
# sphinx-build -W (Debian 12's python3-sphinx 5.3); no extensions.
project = 'kipc'
author = 'The kipc developers'
copyright = 'The kipc developers'
root_doc = 'index'
extensions = []
exclude_patterns = []
html_theme = 'alabaster'
html_show_sourcelink = False
