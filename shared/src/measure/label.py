# First in every CPython snippet: `figures` is printed as one JSON object when it ends.
import json, sys
figures = {"implementation": sys.implementation.name, "version": sys.version.split()[0],
           "gil": bool(getattr(sys, "_is_gil_enabled", lambda: True)())}
