# Run last: stops the helper processes spawn and forkserver started, so none outlives us.
for helper in (mp.forkserver._forkserver, mp.resource_tracker._resource_tracker):
    getattr(helper, "_stop", lambda: None)()
