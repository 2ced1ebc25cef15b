# Run by `measure` (python3 -c) after shared/src/measure/label.py and prelude.py,
# which import sys and time and define report, cpu_job and cpu_speedup.
import pickle

count, samples = int(sys.argv[1]), int(sys.argv[2])
tuples = [(i, f"item-{i}", i * 0.5, [i % 7, i % 11, i % 13]) for i in range(count)]
dicts = [{"id": i, "name": n, "score": s, "tags": t} for (i, n, s, t) in tuples]
figures["pickle_protocol"] = pickle.DEFAULT_PROTOCOL
for label, data in (("tuples", tuples), ("dicts", dicts)):
    encode, decode = [], []
    for round in range(1 + samples):  # Round 0 is a warm-up.
        t0 = time.perf_counter()
        blob = pickle.dumps(data)  # multiprocessing's protocol: the default
        t1 = time.perf_counter()
        back = pickle.loads(blob)
        t2 = time.perf_counter()
        assert back == data, "the round trip changed the data"
        if round > 0:
            encode.append((t1 - t0) * 1e3)
            decode.append((t2 - t1) * 1e3)
    figures[label] = {"encode_ms": summary(encode), "decode_ms": summary(decode), "bytes": len(blob)}
