"""The 20 goals of the national plan (examples/national.rs) as column expressions, written once
for both peers: `duckdb_statuses.py` builds SQL text from them and `polars_statuses.py` polars
expressions, through a backend with `col`, `case`, `isin`, `ratio`.

Per (unit, month) row, the columns are: for each rate R of RATES, `R_n`, `R_d` (numerator and
denominator, integers), `R_r` (the percentage rounded half away from zero to 2 decimals, in
hundredths: the value a rule compares, since every rate has `precision: 2`), and `b_R_n`,
`b_R_d` (the baseline year 2025); for provinces the aggregates over their communes and
departments (`communes`, `share80`, `count90`, `avg_sat`, `departments`, `share98`, and `b_…`
at the baseline); `kind`; `t` (the month end) and `dd` (days from 2025-12-31 to `t`).

Every comparison is exact, in integers: ratios are compared by cross-multiplying, and the
trajectory of a deadline (linear by days from the baseline through the milestones to the
target, docs/rule-language.md) is compared as a fraction. Magnitudes stay below 2^63: at most
288,000 dossiers a year, 100 in a percentage's denominator, 1,826 days. Only `avg` (N12) is a
double, as a data engineer would write it.
"""
import datetime

RATES = [
    ("onl", "online_dossiers", "total_dossiers"),
    ("otm", "on_time_dossiers", "settled_dossiers"),
    ("dig", "digitised_dossiers", "total_dossiers"),
    ("stl", "settled_dossiers", "total_dossiers"),
    ("svc", "online_services", "total_services"),
    ("sat", "satisfied", "surveyed"),
    ("cmp", "complaints", "total_dossiers"),
    ("trn", "trained_staff", "staff"),
]
BASE = sorted({x for _, n, d in RATES for x in (n, d)})
ALL = ["province", "department", "commune"]
BASELINE_END = datetime.date(2025, 12, 31)


def days(date):
    return (datetime.date.fromisoformat(date) - BASELINE_END).days


def goals(B):
    """{goal: status expression} for backend B."""
    c = B.col
    lit = B.lit

    def r(name, base=False):
        p = "b_" if base else ""
        return (c(f"{p}{name}_n"), c(f"{p}{name}_d"))

    def ge(a, e):
        """a >= e for fractions with positive denominators; a list of fractions stands for its
        minimum (which is at least e when each is)."""
        if isinstance(a, list):
            out = ge(a[0], e)
            for x in a[1:]:
                out = out & ge(x, e)
            return out
        return a[0] * e[1] >= e[0] * a[1]

    def le(a, e):
        return a[0] * e[1] <= e[0] * a[1]

    def gt(x, y):
        return x[0] * y[1] > y[0] * x[1]

    def line(x0, v0, x1, v1):
        """The fraction v0 + (v1 − v0)·(dd − x0)/(x1 − x0), for fractions v0 = p0/q0, v1 = p1/q1."""
        (p0, q0), (p1, q1), span = v0, v1, x1 - x0
        return (p0 * q1 * span + (p1 * q0 - p0 * q1) * (c("dd") - x0), q0 * q1 * span)

    def track(kinds, holds, deadline, a, b, g=None, up=True, milestones=(), expected=None):
        """The status of a goal with a deadline: met, not_met, or (before the deadline) on_track
        or off_track against the trajectory from the baseline value `b` to the target `g`
        through `milestones` [(date, p, q)]; `up` None: `=`, whose direction is the target's
        side of the baseline."""
        pts = [(0, b)] + [(days(d), (lit(p), lit(q))) for d, p, q in milestones] + [(days(deadline), g)]

        def ahead(cmp):
            if expected is not None:
                return cmp(a, expected)
            arms = [(c("dd") <= x1, cmp(a, line(x0, v0, x1, v1))) for (x0, v0), (x1, v1) in zip(pts, pts[1:])]
            return B.case(arms, None)

        def on_off(cmp):
            return B.case([(ahead(cmp), lit("on_track"))], lit("off_track"))

        if up is None:
            judged = B.case([(gt(g, b), on_off(ge)), (gt(b, g), on_off(le))], lit("in_progress"))
        else:
            judged = on_off(ge if up else le)
        return B.case([(~B.isin(c("kind"), kinds), lit("not_applicable")),
                       (B.isnull(holds), lit("no_data")),
                       (holds, lit("met")),
                       (c("t") >= B.date(deadline), lit("not_met"))], judged)

    def improve(kinds, name):
        (n, d), (n0, d0) = r(name), r(name, True)
        holds = n * d0 > n0 * d
        return B.case([(~B.isin(c("kind"), kinds), lit("not_applicable")),
                       (B.isnull(holds), lit("no_data")), (holds, lit("met"))], lit("not_met"))

    def const(p, q):
        return (lit(p), lit(q))

    def plus(name, p, q):
        """A trajectory from baseline b to b + p/q: b + (p/q)·dd/span."""
        def e(deadline):
            (n0, d0), span = r(name, True), days(deadline)
            return (n0 * q * span + p * d0 * c("dd"), d0 * q * span)
        return e

    def share(h, n):
        return (c(h), c(n))

    dd = c("dd")
    onl, dig = r("onl"), r("dig")
    b_onl, b_dig = r("onl", True), r("dig", True)
    # min(online_rate, digitised_rate) ≥ e ⇔ both are; the baseline minimum is the smaller one.
    b_min = (B.case([(ge(b_onl, b_dig), b_dig[0])], b_onl[0]), B.case([(ge(b_onl, b_dig), b_dig[1])], b_onl[1]))
    n0, d0 = r("cmp", True)
    return {
        "N01": track(ALL, c("onl_r") > 8000, "2030-12-31", onl, b_onl, const(4, 5),
                     milestones=[("2027-12-31", 1, 2), ("2028-12-31", 13, 20)]),
        "N02": track(ALL, c("otm_r") >= 9800, "2030-12-31", r("otm"), r("otm", True), const(49, 50),
                     milestones=[("2028-06-30", 19, 20)]),
        "N03": track(ALL, c("dig_r") >= 9000, "2029-12-31", dig, b_dig, const(9, 10)),
        "N04": track(["province"], c("svc_r") == 10000, "2030-12-31", r("svc"), r("svc", True), const(1, 1), up=None),
        "N05": improve(ALL, "sat"),
        "N06": track(["province", "commune"], c("sat_r") >= 9000, "2030-12-31", r("sat"), r("sat", True),
                     const(9, 10), milestones=[("2028-12-31", 17, 20)]),
        # complaint_rate <= baseline(complaint_rate) * 70%: the trajectory is b·(1 − 0.3·dd/span).
        "N07": track(ALL, c("cmp_r") * d0 <= 7000 * n0, "2030-12-31", r("cmp"), (n0, d0), up=False,
                     expected=(n0 * (10 * days("2030-12-31") - 3 * dd), 10 * days("2030-12-31") * d0)),
        "N08": track(["department", "commune"], c("trn_r") >= 7500, "2028-12-31", r("trn"), r("trn", True),
                     const(3, 4)),
        "N09": track(ALL, c("stl_r") >= 9500, "2030-12-31", r("stl"), r("stl", True), const(19, 20)),
        "N10": track(["province"], c("share80") * 10 >= 9 * c("communes"), "2030-12-31",
                     share("share80", "communes"), share("b_share80", "b_communes"), const(9, 10)),
        "N11": track(["province"], c("share98") == c("departments"), "2030-12-31",
                     share("share98", "departments"), share("b_share98", "b_departments"), const(1, 1), up=None),
        "N12": track(["province"], c("avg_sat") >= 0.85, "2029-12-31", (c("avg_sat"), lit(1)),
                     (c("b_avg_sat"), lit(1)), (lit(0.85), lit(1))),
        "N13": track(ALL, c("dig_r") * b_dig[1] >= 10000 * b_dig[0] + 2000 * b_dig[1], "2030-12-31", dig, b_dig,
                     expected=plus("dig", 1, 5)("2030-12-31")),
        "N14": improve(ALL, "otm"),
        # change(online_rate) >= 25%: the change is 0 at the baseline, the trajectory dd/(4·span).
        "N15": track(["province", "commune"],
                     4 * (onl[0] * b_onl[1] - b_onl[0] * onl[1]) >= onl[1] * b_onl[1], "2030-12-31",
                     (onl[0] * b_onl[1] - b_onl[0] * onl[1], onl[1] * b_onl[1]), None,
                     expected=(dd, lit(4 * days("2030-12-31")))),
        "N16": track(["commune"], c("cmp_r") < 100, "2030-12-31", r("cmp"), r("cmp", True), const(1, 100), up=False),
        "N17": track(ALL, (10 * onl[0] >= 7 * onl[1]) & (10 * dig[0] >= 7 * dig[1]), "2030-12-31", [onl, dig],
                     b_min, const(7, 10)),
        "N18": track(["province"], c("count90") >= 50, "2030-12-31", (c("count90"), lit(1)),
                     (c("b_count90"), lit(1)), const(50, 1)),
        "N19": track(["department", "commune"], c("trn_r") * r("trn", True)[1] >= 10000 * r("trn", True)[0]
                     + 1000 * r("trn", True)[1], "2027-12-31", r("trn"), r("trn", True),
                     expected=plus("trn", 1, 10)("2027-12-31")),
        "N20": improve(["department"], "stl"),
    }
