"""What one access through a multiprocessing.Manager proxy costs, against the
same access to a plain dict and list in this process. A Manager is a server
process that holds the objects; every access through a proxy is a request to
it over a connection (pickled, sent, answered, unpickled). The Rust
counterpart is examples-processes/examples/manager_server.rs.

    python3 book/python/manager_cost.py            # 5 rounds
    python3 book/python/manager_cost.py 3          # fewer rounds

Prints one line per kind of access: the median over the rounds of the time
per access, in nanoseconds."""

import multiprocessing
import statistics
import sys
import time


def per_access_ns(access, count):
    """The time of one call of `access`, in ns, over `count` calls."""
    start = time.perf_counter()
    for _ in range(count):
        access()
    return (time.perf_counter() - start) / count * 1e9


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    # Calls per round: fewer through a proxy, where each is a round trip.
    plain_count, proxy_count = 200_000, 2_000
    with multiprocessing.Manager() as manager:
        plain_dict, plain_list = {"hits": 0}, [0]
        proxy_dict, proxy_list = manager.dict(plain_dict), manager.list(plain_list)
        cases = [
            ("plain dict read", lambda: plain_dict["hits"], plain_count),
            ("proxy dict read", lambda: proxy_dict["hits"], proxy_count),
            ("plain dict write", lambda: plain_dict.__setitem__("hits", 1),
             plain_count),
            ("proxy dict write", lambda: proxy_dict.__setitem__("hits", 1),
             proxy_count),
            ("plain list read", lambda: plain_list[0], plain_count),
            ("proxy list read", lambda: proxy_list[0], proxy_count),
        ]
        for name, access, count in cases:
            medians = [per_access_ns(access, count) for _ in range(rounds)]
            print(f"{name}: {statistics.median(medians):.0f} ns per access "
                  f"(median of {rounds} rounds of {count:,})")


if __name__ == "__main__":
    main()
