# Run by `measure` after shared/src/measure/label.py and prelude.py (sys, time, timed, …).
import pickle

count, samples = int(sys.argv[1]), int(sys.argv[2])
tuples = [(i, f"item-{i}", i * 0.5, [i % 7, i % 11, i % 13]) for i in range(count)]
dicts = [{"id": i, "name": n, "score": s, "tags": t} for (i, n, s, t) in tuples]
figures["pickle_protocol"] = pickle.DEFAULT_PROTOCOL
for label, data in (("tuples", tuples), ("dicts", dicts)):
    encode, decode = [], []
    pickle.loads(pickle.dumps(data))  # A warm-up.
    for _ in range(samples):
        blob = timed(encode, 1e3, lambda: pickle.dumps(data))  # The default protocol, as mp's
        assert timed(decode, 1e3, lambda: pickle.loads(blob)) == data, "the round trip changed it"
    figures[label] = {"encode_ms": summary(encode), "decode_ms": summary(decode), "bytes": len(blob)}
