# Printed first by every snippet `measure` runs: the interpreter and its GIL state.
import sys
print("version", sys.implementation.name, sys.version.split()[0])
print("gil", int(getattr(sys, "_is_gil_enabled", lambda: True)()))
