"""Veiviser service catalogue: municipal low-threshold services and the routing table for young people."""
