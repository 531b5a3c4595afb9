"""Sequences in time: calendar rules, the journey simulator, A/B assignment, the map.

* :mod:`.zones` — IANA zones and exact DST handling;
* :mod:`.calendar` — durations, business days, windows, holidays, the SMS floor;
* :mod:`.plan` — a sequence compiled from its YAML data;
* :mod:`.engine` — one candidate through one sequence (:func:`.engine.simulate`);
* :mod:`.events` — injected candidate events (``--events FILE``);
* :mod:`.abtest` — deterministic A/B assignment;
* :mod:`.analysis` — graph and cadence analysis behind the Q lint rules;
* :mod:`.runner` — the glue between a Workspace and the simulator;
* :mod:`.touchpoints` and :mod:`.map_html` — ``atscomms map``.
"""
