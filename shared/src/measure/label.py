# Prepended by `measure` to every CPython snippet: `figures` collects what it gives, and
# is printed as one JSON object when the snippet ends; first, the interpreter and its
# GIL state.
import json, sys
figures = {"implementation": sys.implementation.name, "version": sys.version.split()[0],
           "gil": bool(getattr(sys, "_is_gil_enabled", lambda: True)())}
