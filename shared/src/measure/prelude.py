# Prepended by `measure` to every CPython snippet: the same figures and job as Rust's.
import statistics, time

INTERLEAVE_BLOCK = 1024  # shared::work::INTERLEAVE_BLOCK

def summary(samples):
    ordered = sorted(samples)
    def percentile(fraction):
        return ordered[int(fraction * (len(ordered) - 1) + 0.5)]  # Rust's rounding, half up
    return {"median": statistics.median(samples), "p10": percentile(0.1), "p90": percentile(0.9),
            "min": ordered[0], "max": ordered[-1], "samples": len(samples)}

def report(key, samples):
    figures[key] = summary(samples)

def timed(samples, scale, job):  # Appends how long job() took (s × scale), returns its result.
    t0 = time.perf_counter()
    result = job()
    samples.append((time.perf_counter() - t0) * scale)
    return result

def collatz_steps(value):
    steps = 0
    while value > 1:
        value = value // 2 if value % 2 == 0 else 3 * value + 1
        steps += 1
    return steps

def cpu_job(start, end):
    return sum(collatz_steps(value) for value in range(start, end))

def cpu_job_interleaved(start, end, worker, workers, block=INTERLEAVE_BLOCK):
    # Rust's shared::work::cpu_job_interleaved: blocks dealt round robin, nearly equal work.
    return sum(cpu_job(first, min(first + block, end))
               for first in range(start + worker * block, end, block * workers))

def cpu_speedup(target_s, samples, key, parallel):
    # The job alone and split by parallel(end), in turns; reports both times and the range.
    end, took = 250, [0]
    while took[-1] < target_s / 10:  # Calibrate: grow the range to a tenth of the target.
        end *= 4
        timed(took, 1, lambda: cpu_job(1, end))
    end = max(1000, int(end * target_s / took[-1]))
    expected = cpu_job(1, end)
    sequential, split = [], []
    for _ in range(samples):
        assert timed(sequential, 1, lambda: cpu_job(1, end)) == expected
        assert timed(split, 1, lambda: parallel(end)) == expected, key + ": a different total"
    report("cpu_sequential_s", sequential)
    report(key, split)
    figures["cpu_end"] = end
