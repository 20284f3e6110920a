"""The pure decision core of Heat Pump Zoning: no Home Assistant import anywhere below here."""
