# Run by `measure` (python3 -c) after shared/src/measure/label.py and prelude.py,
# which import sys and time and define report, cpu_job and cpu_speedup.
# Stop the helper processes spawn and forkserver started, so none outlives this interpreter.
for helper in (mp.forkserver._forkserver, mp.resource_tracker._resource_tracker):
    stop = getattr(helper, "_stop", None)
    if stop is not None:
        stop()
