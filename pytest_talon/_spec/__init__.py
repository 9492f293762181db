"""The Integration API as data, shared by the client, the fake and the plugin's report: one :class:`Operation` per
spec operation (:mod:`.operation`), the generated table of all of them (:mod:`.operations`) and the one route
matcher that finds the operation a raw request is for (:mod:`.routes`). Private: nothing here is public API.

May import: nothing of pytest_talon but this package (it sits below the models and the client).
"""
