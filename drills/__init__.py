"""Drills: faults and bad input thrown at a running Closer, each printing what it did and found.

Run them all with `scripts/drills`, or one with `.venv/bin/python -m drills.<name>`. A drill
that breaks PostgreSQL or Redis starts its own throwaway instance on a free loopback port and
breaks that one; the machine's own servers are never stopped. See README.md, "Drills".
"""
