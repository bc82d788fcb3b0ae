"""The load drill (`make loadtest`, issue 15): see `bench.loadtest.__main__`."""
