// Scripts only add comfort: every page works without them.
