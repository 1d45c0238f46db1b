"""Reports: a result or brief rendered for people (text, markdown; later PDF, FHIR, exports).

``reports.text`` holds the wording every face reuses: it turns a :class:`Result` into ordered
sections, then into plain text or markdown. The terminal, web page and PDF style the same
sections; they never re-word them.
"""
