"""Front ends of Buffer-zone mapper: the ``bufferzone`` command line (and the app's helpers).

The geometry and figures live in :mod:`geo`; the proposals in :mod:`layers`.
"""
