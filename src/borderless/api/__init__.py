"""HTTP API: thin routers that parse input, call a service and shape the answer."""
