# Added at the end of these lines of /etc/nsswitch.conf on install, removed on
# removal: the module answers UNAVAIL until orgrbac sync has written a snapshot,
# so the sources before it decide as they did.
group last orgrbac
passwd last orgrbac
