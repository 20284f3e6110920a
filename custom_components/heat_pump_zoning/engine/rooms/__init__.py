"""A learned model of each room: how fast it warms, cools and drifts against the outdoor
temperature (beestat's temperature profiles), and how long a recovery takes.

- `profile`: one rate line (°/h against the outdoor-indoor difference) learnt in bounded bins.
- `learning`: `RoomModels`, fed with the ledger's samples, one profile per zone and mode.
- `recovery`: how long from one temperature to another, from a line (early start asks this).
"""
