"""Provider plugins: plan, push and pull approved template versions.

See docs/providers.md for writing one. The pieces:

* :mod:`.base` -- the :class:`~.base.Provider` protocol and :class:`~.base.Capabilities`;
* :mod:`.registry` -- discovery through the ``atscomms.providers`` entry-point group;
* :mod:`.dialects` -- compilers from the portable subset to provider syntaxes;
* :mod:`.compile` -- workspace templates -> units (one per locale and variant);
* :mod:`.engine` -- plan / push / rollback; :mod:`.pull` -- import remote templates;
* :mod:`.http` -- the HTTP client (HTTPS, retries, Retry-After, rate limit, redaction);
* :mod:`.state` -- per-environment state files; :mod:`.gate` -- approvals and promotion.
"""
