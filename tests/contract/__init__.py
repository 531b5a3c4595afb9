"""Contract servers: real HTTP servers on 127.0.0.1 implementing the provider endpoints
atscomms uses, with fault injection (429 + Retry-After, 500, slow, dropped connections)."""
