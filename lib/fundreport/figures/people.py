"""The figures of the people a fund serves: enrolment (参保) and its structure, per-insured figures, services
(门诊, 住院 and their categories, groups, places), cost composition and 定点医药机构. A part of
:class:`fundreport.figures.measures.Measures` (it reads ``self.ctx``, ``self.facts``, ``self.region`` and
``self.cur`` and the comparison of the measures), kept apart so each module has one subject.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fundreport.data import vocab
from fundreport.data.decimals import Written
from fundreport.figures import indicators as ind
from fundreport.figures.audit import ENROLMENT_PARTITIONS
from fundreport.figures.facts import money_quantum
from fundreport.figures.values import (
    SERVICE_MEASURES,
    CategoryShare,
    CollectionLine,
    Compared,
    EnrolmentLine,
    EstimatedInput,
    InstitutionLine,
    PerInsuredLine,
    PolicyLine,
    ServiceLine,
    SheetLine,
    StructureLine,
)

if TYPE_CHECKING:
    from fundreport.report.context import Context


class PeopleMeasures:
    """Enrolment and services of one report context (mixed into :class:`~fundreport.figures.measures.Measures`)."""

    ctx: Context

    # -- enrolment ----------------------------------------------------------------

    def collection(self) -> tuple[CollectionLine, ...]:
        """征缴率 and 欠费 of the funds whose statement gives 应缴保险费 (and 保险费收入)."""
        out = []
        for fund in vocab.FUNDS.codes:
            due = self.facts.item(self.region, self.cur, fund, "contributions_due")
            got = self.facts.item(self.region, self.cur, fund, "income_premium")
            if due is None or got is None:
                continue

            def prev(item: str, f=fund) -> float | None:
                return self.facts.item(self.region, self.prev, f, item) if self.prev else None

            out.append(
                CollectionLine(fund, Compared(due, prev("contributions_due")), Compared(got, prev("income_premium")))
            )
        return tuple(out)

    def balance_sheet(self) -> tuple[SheetLine, ...]:
        """暂收款/暂付款 per fund (funds in vocabulary order) for the funds whose statement has them."""
        out = []
        for fund in vocab.FUNDS.codes:
            get = lambda item, f=fund: self.facts.item(self.region, self.cur, f, item)  # noqa: E731
            receipts, payments = get("temp_receipts"), get("temp_payments")
            if receipts is None and payments is None:
                continue
            cum = self._cumulative_total(fund, self.cur) if fund in ("employee", "all_funds") else self.cumulative(fund)
            out.append(
                SheetLine(fund, receipts, payments, get("temp_advance_medical"), get("temp_advance_offsite"), cum)
            )
        return tuple(out)

    def policy(self) -> tuple[PolicyLine, ...]:
        """The 缴费政策 figures of the report period (or of its year: annual standards apply to
        sub-periods), each with the comparison period's value, in fund and vocabulary order."""
        df = self.ctx.dataset["policy"]
        year = self.cur[:4]
        mine = df[(df["region"] == self.region) & (df["period"].isin({self.cur, year}))]
        present = set(zip(mine["fund"].tolist(), mine["item"].tolist(), strict=True))
        prev = self.ctx.prev
        out = []
        for fund in vocab.FUNDS.codes:
            for item in vocab.POLICY.codes:
                if (fund, item) not in present:
                    continue
                cur = self.facts.policy(self.region, self.cur, fund, item)
                before = self.facts.policy(self.region, prev, fund, item) if prev else None
                out.append(PolicyLine(fund, item, Compared(cur, before)))
        return tuple(out)

    def enrolment(self) -> tuple[EnrolmentLine, ...]:
        """Persons per fund (with the comparison when the enrolment table has it)."""
        f, r, cur = self.facts, self.region, self.cur
        prev = self.prev_for("enrolment")
        out = []
        for fund in self.ctx.funds_with("enrolment"):
            n = f.enrolment(r, cur, fund)
            if n is None:
                continue
            pn = f.enrolment(r, prev, fund) if prev else None
            active, retired = f.enrolment(r, cur, fund, "active"), f.enrolment(r, cur, fund, "retired")
            share = ind.retired_share(retired, n) if active is not None and retired is not None else None
            pshare = (
                ind.retired_share(f.enrolment(r, prev, fund, "retired"), pn) if prev and share is not None else None
            )
            pratio = (
                ind.active_retired_ratio(f.enrolment(r, prev, fund, "active"), f.enrolment(r, prev, fund, "retired"))
                if prev
                else None
            )
            ratio = Compared(ind.active_retired_ratio(active, retired), pratio)
            out.append(EnrolmentLine(fund, Compared(n, pn), active, retired, Compared(share, pshare), ratio))
        return tuple(out)

    def per_insured(self) -> tuple[PerInsuredLine, ...]:
        """人均基金收入/支出 and 住院率 of the basic funds that have both enrolment and fund figures.

        The comparison uses the comparison period's persons and figures; a doubtful comparison of the
        fund statement makes the per-person comparison doubtful too."""
        out = []
        for line in self.enrolment():
            if line.fund not in ("employee", "resident"):
                continue
            n = line.total
            flow = self.flow(line.fund)

            def per(c: Compared, n=n) -> Compared:
                return Compared(ind.per_insured(c.cur, n.cur), ind.per_insured(c.prev, n.prev), c.doubt)

            visits = [
                self.facts.use(self.region, p, line.fund, "inpatient_total", "visits") if p else None
                for p in (self.cur, self.prev_for("utilisation"))
            ]
            rate = Compared(ind.inpatient_rate(visits[0], n.cur), ind.inpatient_rate(visits[1], n.prev))
            if flow.income.cur is None and flow.expense.cur is None and rate.cur is None:
                continue
            out.append(PerInsuredLine(line.fund, n, per(flow.income), per(flow.expense), rate))
        return tuple(out)

    NOT_SHARES = frozenset(
        {"total", "contributors_net_change", "population_registered", "population_resident", "ineligible"}
    )

    def category_shares(self, fund: str) -> tuple[CategoryShare, ...]:
        """Enrolment categories of a fund and their shares of its total."""
        f, r = self.facts, self.region
        n = f.enrolment(r, self.cur, fund)
        out = []
        for t in vocab.ENROLMENT:
            if t.code in self.NOT_SHARES:
                continue
            v = f.enrolment(r, self.cur, fund, t.code)
            if v is not None:
                part = any(t.code in group for group in ENROLMENT_PARTITIONS)
                out.append(CategoryShare(fund, t.code, v, ind.share(v, n), part))
        return tuple(out)

    def enrolled(self, fund: str, category: str = "total") -> float | None:
        """Persons of one enrolment category (人), as given."""
        return self.facts.enrolment(self.region, self.cur, fund, category)

    def share(self, part: float | None, whole: float | None) -> float | None:
        """part / whole (a fraction), for counts the builders hold."""
        return ind.share(part, whole)

    # -- services -----------------------------------------------------------------

    def stated_value(self, fund: str, indicator: str, region: str | None = None) -> float | None:
        """A figure the source report states (table 报告数值) for a fund and indicator of the report period,
        in its base unit; for showing beside what the data cannot compute, never for computing."""
        df = self.ctx.dataset.stated
        hit = df[
            (df["region"] == (region or self.region))
            & (df["period"] == self.cur)
            & (df["fund"] == fund)
            & (df["indicator"] == indicator)
        ]
        if not len(hit):
            return None
        value, step = float(hit["value"].iloc[0]), money_quantum(hit["unit"].iloc[0])
        return Written(value, step) if step else value

    def stated_only(self, fund: str, indicator: str) -> bool:
        """True when the source states figures of ``indicator`` for the fund that the data cannot give."""
        df = self.ctx.dataset.stated
        hit = (df["region"] == self.region) & (df["period"] == self.cur) & (df["fund"] == fund)
        return bool((hit & (df["indicator"] == indicator)).any())

    def service_structure(self, items: tuple[ServiceLine, ...], total_code: str) -> tuple[StructureLine, ...]:
        """Shares of the parts of a service total (e.g. 住院 by hospital level: 出院占比, 费用占比, 基金支付占比),
        each share = part ÷ total of the same period, with the comparison period's share."""
        total = next((s for s in items if s.code == total_code), None)
        children = {t.code for t in vocab.SERVICES.children(total_code)}
        if total is None:
            return ()

        def share(part: Compared, whole: Compared) -> Compared:
            return Compared(ind.share(part.cur, whole.cur), ind.share(part.prev, whole.prev))

        return tuple(
            StructureLine(
                s.code,
                s.visits,
                share(s.visits, total.visits),
                share(s.total_cost, total.total_cost),
                share(s.fund_paid, total.fund_paid),
            )
            for s in items
            if s.code in children
        )

    def service_groups(self, fund: str, code: str) -> tuple[tuple[str, ServiceLine, dict[str, float | None]], ...]:
        """A service category split by person group (在职/退休, 机关/事业/企业, …): (group, line, shares)
        where shares maps visits/total_cost/fund_paid to the group's share of the category's 全部 figure
        (None when the 全部 figure is not given), for the groups the data has."""
        f, r = self.facts, self.region
        prev = self.prev_for("utilisation")
        whole = {k: f.use(r, self.cur, fund, code, k) for k in SERVICE_MEASURES}
        out = []
        for group in vocab.GROUPS.codes:
            if group == "all":
                continue
            cur = {k: f.use(r, self.cur, fund, code, k, group) for k in SERVICE_MEASURES}
            if all(v is None for v in cur.values()):
                continue
            old = {k: f.use(r, prev, fund, code, k, group) for k in SERVICE_MEASURES} if prev else dict.fromkeys(cur)
            line = ServiceLine(fund, code, *(Compared(cur[k], old[k]) for k in SERVICE_MEASURES))
            shares = {k: ind.share(cur[k], whole[k]) for k in ("persons", "visits", "total_cost", "fund_paid")}
            out.append((group, line, shares))
        return tuple(out)

    def institutions(self, fund: str, code: str) -> tuple[InstitutionLine, ...]:
        """The institutions of one service total of a fund in the report region and period, by 基金支付
        (largest first; those without it last, then by code); see :class:`InstitutionLine`."""
        df = self.ctx.dataset["institutions"]
        if not len(df):
            return ()
        sel = df[(df["region"] == self.region) & (df["fund"] == fund) & (df["service"] == code)]
        prev = self.prev_for("institutions")
        old = {r.institution: _num(r.fund_paid) for r in sel[sel["period"] == prev].itertuples()} if prev else {}
        total = self.facts.use(self.region, self.cur, fund, code, "fund_paid")
        out = [
            InstitutionLine(
                str(r.institution),
                _text(r.institution_name),
                _text(r.level),
                _num(r.persons),
                _num(r.visits),
                _num(r.total_cost),
                Compared(_num(r.fund_paid), old.get(r.institution)),
                ind.share(_num(r.fund_paid), total),
            )  # fmt: skip
            for r in sel[sel["period"] == self.cur].itertuples()
        ]
        out.sort(key=lambda x: (x.fund_paid.cur is None, -(x.fund_paid.cur or 0), x.code))
        return tuple(out)

    def region_services(self, fund: str, code: str) -> tuple[tuple[str, ServiceLine], ...]:
        """One service category of a fund in each sub-region and in the report region (last), report period
        only: (region, line) for the regions with any figure."""
        f, out = self.facts, []
        for region in [*self.ctx.children, self.region]:
            cur = {k: f.use(region, self.cur, fund, code, k) for k in SERVICE_MEASURES}
            if any(v is not None for v in cur.values()):
                out.append((region, ServiceLine(fund, code, *(Compared(cur[k]) for k in SERVICE_MEASURES))))
        return tuple(out)

    def estimated_inputs(self) -> tuple[EstimatedInput, ...]:
        """The back-computed inputs (来源 推算) of the report's regions and periods, with the method the
        source row names (its 备注), in table order: what every "（推算）" in the report rests on."""
        out = []
        for table, code in (("fund_flows", "item"), ("enrolment", "category")):
            df = self.ctx.dataset[table]
            if "origin" not in df or not len(df):
                continue
            for rec in df[df["origin"] == "estimated"].to_dict("records"):
                if self.ctx.reads.holds(rec["region"], rec["period"]):
                    note = rec.get("note") or ""
                    out.append(EstimatedInput(table, rec["region"], rec["period"], rec["fund"], rec[code],
                                              float(rec["value"]), str(note) if note == note else ""))  # fmt: skip
        return tuple(out)

    def services(self, fund: str, codes: list[str], total_code: str | None) -> tuple[ServiceLine, ...]:
        """Service categories of a fund that have any figure; shares of fund paid against ``total_code``."""
        f, r = self.facts, self.region
        prev = self.prev_for("utilisation")
        raw = []
        for code in codes:
            cur = {k: f.use(r, self.cur, fund, code, k) for k in SERVICE_MEASURES}
            if all(v is None for v in cur.values()):
                continue
            old = {k: f.use(r, prev, fund, code, k) for k in SERVICE_MEASURES} if prev else dict.fromkeys(cur)
            raw.append((code, cur, old))
        tot = next((c for code, c, _ in raw if code == total_code), None)
        out = []
        for code, cur, old in raw:
            share = ind.share(cur["fund_paid"], tot["fund_paid"]) if tot and code != total_code else None
            out.append(ServiceLine(fund, code, *(Compared(cur[k], old[k]) for k in SERVICE_MEASURES), share=share))
        return tuple(out)


def _num(value) -> float | None:
    """A table cell as a number, None when empty (NaN)."""
    return None if value is None or value != value else float(value)


def _text(value) -> str | None:
    return None if value is None or value != value or str(value).strip() == "" else str(value)
