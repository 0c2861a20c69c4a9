"""The bookmarks file and finding its quotes again: no Textual here (a test keeps it so), so
the command line and the app share every rule about the file.

- ``model``: the entries as read, the document, new entries;
- ``store``: reading the file safely, and changing it under a lock with atomic writes;
- ``yaml_io`` and ``splice``: the YAML itself, and changes spliced into the user's text;
- ``anchor``: where a quote is after its article changed;
- ``selection``: sentences and words, the bounds of an excerpt;
- ``ops``: bookmarks against a corpus (locate, accept, add by quote, export).
"""
