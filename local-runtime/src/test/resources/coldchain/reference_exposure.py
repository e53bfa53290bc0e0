#!/usr/bin/env python3
"""Independent reference for `./waybill coldchain` (issue 12): fixtures and their expected figures.

Written from the rules, not from the Java code: per probe, readings sorted by time (one per time, the highest);
each reading holds its value until the probe's next reading for at most MAX_GAP_S seconds, the rest of a longer gap
is unknown time; the last reading holds nothing. Over the holds:
  TOR            = sum of holds strictly above / below the band
  degree-minutes = sum of (celsius - high) x hold minutes above, (low - celsius) x hold minutes below
  MKT            = 10000 / -ln(sum(hold_s x exp(-10000 / (celsius + 273.15))) / sum(hold_s)) - 273.15
  covered        = observed (sum of holds) + unknown
and the policy's verdict (hard limits on max/min, TOR over budget, else DATA_GAP when TOR + unknown is over budget,
MKT over its limit), the worst probe being the highest severity, then most TOR + unknown, then the first name.

The summary fixture carries the same trips as 5-minute windows' exposure statistics coalesced to 1-hour summaries,
computed here from the same raw readings with the attribution rule of ExposureStatistics' javadoc: a reading's hold
(and the unknown rest of its gap) counts in the summary that contains the reading. Its expected figures are those of
the raw readings: the cloud must reach them from the summaries alone (to rounding).

Re-run (from the repository root) after changing a fixture; it rewrites the .jsonl inputs and .expected.json files
next to it, which are committed (the JUnit test reads them and does not need python):
    python3 local-runtime/src/test/resources/coldchain/reference_exposure.py [output directory]
ColdChainFixturesTest re-runs it into a temporary directory when python3 is on the PATH and checks that the committed
files are what it writes.
"""
import json
import math
import os
import random
import sys
from datetime import datetime, timedelta, timezone

HERE = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))  # where to write
MAX_GAP_S = 15 * 60
START = datetime(2026, 3, 2, 6, 0, 0, tzinfo=timezone.utc)
STEP_S = 30  # a 30-second logger

# The presets the fixtures use, transcribed from the product class documentation (band, budget, major degree-minutes,
# hard limits, MKT limit).
PRODUCTS = {
    "chilled-biologics-2-8": dict(low=2.0, high=8.0, budget_s=30 * 60, major_dm=60.0, hard_high=15.0, hard_low=0.0,
                                  mkt_limit=8.0),
    "vaccines-2-8": dict(low=2.0, high=8.0, budget_s=60 * 60, major_dm=60.0, hard_high=25.0, hard_low=0.0,
                         mkt_limit=8.0),
}
SEVERITY_RANK = {"NONE": 0, "MINOR": 1, "MAJOR": 2, "CRITICAL": 3}


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------------------- trips
def steady(rng, n, start, base=4.5, spread=0.6):
    """n readings every STEP_S seconds from start, around base."""
    return [(start + timedelta(seconds=i * STEP_S), round(base + rng.uniform(-spread, spread), 2)) for i in range(n)]


def trip_two_probes():
    """3 h of two probes: supply air steady; return air 45 minutes at about 9.5 °C in the middle."""
    rng = random.Random(12)
    supply = steady(rng, 360, START)
    ret = []
    for i, (t, c) in enumerate(steady(rng, 360, START, base=5.0)):
        ret.append((t, round(9.2 + rng.uniform(0, 0.6), 2) if 120 <= i < 210 else c))  # 90 readings = 45 min
    return {"supply-air": supply, "return-air": ret}


def trip_gaps():
    """A probe with silences: 40 min after 9 °C, 6 h after 5 °C, 10 min (within the limit) after 6 °C."""
    rng = random.Random(13)
    readings = steady(rng, 60, START)  # 30 min
    t = readings[-1][0]
    readings.append((t + timedelta(seconds=STEP_S), 9.0))
    t = readings[-1][0] + timedelta(minutes=40)  # 15 min held at 9 °C, 25 min unknown
    readings += steady(rng, 20, t)
    readings.append((readings[-1][0] + timedelta(seconds=STEP_S), 5.0))
    t = readings[-1][0] + timedelta(hours=6)  # 15 min held at 5 °C, 5 h 45 min unknown
    readings += steady(rng, 30, t)
    readings.append((readings[-1][0] + timedelta(seconds=STEP_S), 6.0))
    t = readings[-1][0] + timedelta(minutes=10)  # held whole
    readings += steady(rng, 20, t)
    return {"default": readings}


def trip_short_excursions():
    """6 h of a probe with ten excursions of 4 minutes (8 readings) at 8.5-10 °C, 30 minutes apart."""
    rng = random.Random(14)
    readings = steady(rng, 720, START)
    out = []
    for i, (t, c) in enumerate(readings):
        k = i - 30
        inside = k >= 0 and k % 66 < 8 and k // 66 < 10  # every 33 minutes, 8 readings above the band
        out.append((t, round(8.5 + rng.uniform(0, 1.5), 2) if inside else c))
    return {"default": out}


# ------------------------------------------------------------------------------------------------------- figures
def holds(readings):
    """[(time, celsius, hold_s, unknown_s)] per reading: one per time (the highest), sorted."""
    best = {}
    for t, c in readings:
        best[t] = max(c, best.get(t, c))
    times = sorted(best)
    out = []
    for i, t in enumerate(times):
        if i + 1 < len(times):
            gap = (times[i + 1] - t).total_seconds()
            hold = min(gap, MAX_GAP_S)
            out.append((t, best[t], hold, gap - hold))
        else:
            out.append((t, best[t], 0.0, 0.0))
    return out


def exposure(hs, low, high):
    """The sums over some holds (the fields of ExposureStatistics, times in seconds here)."""
    s = dict(observed=0.0, unknown=0.0, above=0.0, below=0.0, dm_above=0.0, dm_below=0.0, arrhenius=0.0)
    for _, c, hold, unknown in hs:
        s["observed"] += hold
        s["unknown"] += unknown
        s["arrhenius"] += hold * math.exp(-10000.0 / (c + 273.15))
        if c > high:
            s["above"] += hold
            s["dm_above"] += (c - high) * hold / 60.0
        elif c < low:
            s["below"] += hold
            s["dm_below"] += (low - c) * hold / 60.0
    return s


def figures(readings, product):
    p = PRODUCTS[product]
    hs = holds(readings)
    s = exposure(hs, p["low"], p["high"])
    values = [c for _, c, _, _ in hs]
    mkt = 10000.0 / -math.log(s["arrhenius"] / s["observed"]) - 273.15 if s["observed"] > 0 else None
    f = {
        "readings": len(hs),
        "firstTime": iso(hs[0][0]),
        "lastTime": iso(hs[-1][0]),
        "coveredSeconds": int(s["observed"] + s["unknown"]),
        "torSeconds": int(s["above"] + s["below"]),
        "torAboveSeconds": int(s["above"]),
        "torBelowSeconds": int(s["below"]),
        "unknownSeconds": int(s["unknown"]),
        "degreeMinutesAbove": s["dm_above"],
        "degreeMinutesBelow": s["dm_below"],
        "mktCelsius": mkt,
        "maxCelsius": max(values),
        "minCelsius": min(values),
    }
    f.update(verdict(f, p))
    return f


def verdict(f, p):
    reasons = []
    if f["maxCelsius"] > p["hard_high"]:
        reasons.append(("HARD_HIGH_LIMIT_EXCEEDED", "CRITICAL"))
    if f["minCelsius"] < p["hard_low"]:
        reasons.append(("HARD_LOW_LIMIT_EXCEEDED", "CRITICAL"))
    dm = f["degreeMinutesAbove"] + f["degreeMinutesBelow"]
    size = "MAJOR" if dm > p["major_dm"] else "MINOR"
    if f["torSeconds"] > p["budget_s"]:
        reasons.append(("TOR_BUDGET_EXCEEDED", size))
    elif f["torSeconds"] + f["unknownSeconds"] > p["budget_s"]:  # unknown time counts (the default)
        reasons.append(("DATA_GAP", size))
    if f["mktCelsius"] is not None and f["mktCelsius"] > p["mkt_limit"]:
        reasons.append(("MKT_ABOVE_LABEL", "MAJOR"))
    severity = max((s for _, s in reasons), key=SEVERITY_RANK.get, default="NONE")
    return {"breached": bool(reasons), "severity": severity, "reasonCodes": sorted(code for code, _ in reasons)}


def worst(probes):
    return min(probes, key=lambda name: (-SEVERITY_RANK[probes[name]["severity"]],
                                         -(probes[name]["torSeconds"] + probes[name]["unknownSeconds"]), name))


# ----------------------------------------------------------------------------------------------------- summaries
def summaries(probe, readings, product):
    """5-minute windows' statistics (each reading's hold in the window containing it), coalesced to 1 hour."""
    p = PRODUCTS[product]
    hs = holds(readings)

    def window(t, seconds):
        epoch = int(t.timestamp())
        return epoch - epoch % seconds

    five = {}
    for h in hs:
        five.setdefault(window(h[0], 300), []).append(h)
    hourly = {}
    for w in sorted(five):
        hourly.setdefault(w - w % 3600, []).append(five[w])
    lines = []
    for hour in sorted(hourly):
        parts = hourly[hour]
        stats = [exposure(part, p["low"], p["high"]) for part in parts]  # per 5-minute window
        total = {k: sum(s[k] for s in stats) for k in stats[0]}  # the windows' sums add
        members = [h for part in parts for h in part]
        values = [c for _, c, _, _ in members]
        lines.append({
            "probe": probe,
            "windowStart": iso(members[0][0]),
            "windowEnd": iso(members[-1][0]),
            "minCelsius": min(values),
            "maxCelsius": max(values),
            "meanCelsius": round(sum(values) / len(values), 4),
            "readingCount": len(values),
            "exposure": {
                "bandLowCelsius": p["low"], "bandHighCelsius": p["high"], "maxGapSeconds": MAX_GAP_S,
                "observedMillis": int(round(total["observed"] * 1000)),
                "unknownMillis": int(round(total["unknown"] * 1000)),
                "aboveMillis": int(round(total["above"] * 1000)),
                "belowMillis": int(round(total["below"] * 1000)),
                "degreeMinutesAbove": total["dm_above"], "degreeMinutesBelow": total["dm_below"],
                "arrheniusSum": total["arrhenius"],
            },
        })
    return lines


# --------------------------------------------------------------------------------------------------------- write
def reading_lines(trip):
    """Probes interleaved by time, as a multi-probe export comes; the default probe's lines carry no probe."""
    lines = []
    for probe, readings in trip.items():
        for t, c in readings:
            line = {"time": iso(t), "celsius": c}
            if probe != "default":
                line["probe"] = probe
            lines.append((t, probe, line))
    lines.sort(key=lambda x: (x[0], x[1]))
    return [line for _, _, line in lines]


def write(name, lines, product, trip, note):
    with open(os.path.join(HERE, name + ".jsonl"), "w") as f:
        for line in lines:
            f.write(json.dumps(line, separators=(",", ":")) + "\n")
    probes = {probe: figures(readings, product) for probe, readings in trip.items()}
    expected = {"note": note, "input": name + ".jsonl", "args": ["--product", product],
                "worstProbe": worst(probes), "probes": probes}
    with open(os.path.join(HERE, name + ".expected.json"), "w") as f:
        json.dump(expected, f, indent=2, sort_keys=False)
        f.write("\n")
    return probes


def main():
    two = trip_two_probes()
    write("two-probes", reading_lines(two), "chilled-biologics-2-8", two,
          "two probes of one shipment; return air 45 min at about 9.5 C: the worst probe decides")
    gaps = trip_gaps()
    write("gaps", reading_lines(gaps), "vaccines-2-8", gaps,
          "silences of 40 min and 6 h beyond the 15-min limit are unknown time (DATA_GAP); 10 min is held")
    short = trip_short_excursions()
    p = write("short-excursions", reading_lines(short), "chilled-biologics-2-8", short,
              "ten excursions of 4 min above the band: 40 min over a 30-min budget is a breach")
    assert p["default"]["torSeconds"] == 2400 and p["default"]["breached"], p
    # The same two trips (as probes p1, p2): raw readings, and 1-hour summaries with exposure statistics only.
    both = {"p1": short["default"], "p2": gaps["default"]}
    write("summaries-raw", reading_lines(both), "chilled-biologics-2-8", both,
          "raw readings of the trips the summaries fixture summarises")
    lines = [line for probe, readings in both.items() for line in summaries(probe, readings, "chilled-biologics-2-8")]
    write("summaries", lines, "chilled-biologics-2-8", both,
          "the same trips known only through 1-hour summaries (5-min windows' exposure statistics coalesced): "
          "the expected figures are the raw readings'")


if __name__ == "__main__":
    main()
