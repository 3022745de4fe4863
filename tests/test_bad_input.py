"""Bad input gets a clear answer (DESIGN.md, principles 7 and 8).

Every refusal exits with status 2 and prints on stderr one Chinese and one English line naming the
file, the row/cell/column, the value found and what was expected; the output folder stays empty
(no output file, no temporary file). Roster CSVs go through ``xlperf new appraisal``, workbooks
through ``xlperf recalc`` and ``xlperf export``. No LibreOffice: these tests are fast.
"""
from __future__ import annotations

import csv
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import openpyxl
import pytest
from click.testing import Result
from typer.testing import CliRunner

from xlperf.cli import app
from xlperf.layout import FIRST_ROW, Layout
from xlperf.scheme import default_scheme
from xlperf.model import sheet_names

CAPACITY = 20
LAYOUT = Layout(default_scheme("zh"), CAPACITY)
SHEETS = sheet_names("zh")

HEADER = ("employee_id,name,department,tenure_years,months_worked,self.knowledge,"
          "self.communication,self.problem_solving,self.interpersonal,self.learning,"
          "supervisor.knowledge,supervisor.communication,supervisor.problem_solving,"
          "supervisor.interpersonal,supervisor.learning,peer.interpersonal,customer")
HEADER_ZH = ("工号,姓名,部门,工龄,出勤月数,自评-业务知识能力,自评-沟通能力,自评-问题解决能力,"
             "自评-人际关系协调,自评-反馈与学习能力,主管评-业务知识能力,主管评-沟通能力,"
             "主管评-问题解决能力,主管评-人际关系协调,主管评-反馈与学习能力,同事评-人际关系协调,"
             "客户评")
ROWS = ("KF1001,王伟,客服一部,9.5,,87,87,84,99,95,90,82,83,87,91,93,77",
        "KF1002,李磊,客服二部,1.8,6,96,99,98,84,优秀,88,89,89,96,95,93,99",
        "KF1003,张敏,客服一部,0.5,,80,80,80,80,80,良好,80,80,80,80,,85")


def invoke(*args: object) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def refused(result: Result, out_dir: Path, zh: Sequence[str], en: Sequence[str],
            both: Sequence[str] = ()) -> None:
    """Exit 2; a Chinese line with ``zh`` and ``both``, an English line with ``en`` and ``both``;
    nothing at all written to ``out_dir``."""
    assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    zh_line = next(line for line in lines if line.startswith("错误: "))
    en_line = next(line for line in lines if line.startswith("error: "))
    for part in (*zh, *both):
        assert part in zh_line, (part, zh_line)
    for part in (*en, *both):
        assert part in en_line, (part, en_line)
    assert list(out_dir.iterdir()) == []


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder for the output: after a refusal it must still be empty."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def write_csv(path: Path, header: str = HEADER, rows: Sequence[str] = ROWS,
              encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def with_field(row: int, key: str, value: str, header: str = HEADER) -> list[str]:
    """ROWS with one field replaced: ``row`` counts from 0, ``key`` is a header of ``header``."""
    rows = [r.split(",") for r in ROWS]
    rows[row][header.split(",").index(key)] = value
    return [",".join(r) for r in rows]


# --- roster CSV: xlperf new appraisal --from ROSTER.csv ------------------------------------------

def new_from(roster: Path, out_dir: Path, *extra: object) -> Result:
    return invoke("new", "appraisal", "--from", roster, "-o", out_dir / "book.xlsx", *extra)


def test_csv_text_where_a_score_belongs(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "supervisor.knowledge", "abc"))
    refused(new_from(roster, out_dir), out_dir, ["评分无效", "应为 0–100 的数或 优秀/良好/一般/待改进"],
            ["invalid rating", "expected a number 0–100 or one of 优秀/良好/一般/待改进"],
            [str(roster), "行/row 2", "列/column supervisor.knowledge", "'abc'"])


def test_csv_score_above_100(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(1, "customer", "101"))
    refused(new_from(roster, out_dir), out_dir, ["评分无效", "0–100"], ["invalid rating", "0–100"],
            [str(roster), "行/row 3", "列/column customer", "101"])


def test_csv_rating_minus_5(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "peer.interpersonal", "-5"))
    refused(new_from(roster, out_dir), out_dir, ["评分无效", "0–100"], ["invalid rating", "0–100"],
            [str(roster), "行/row 2", "列/column peer.interpersonal", "-5"])


def test_csv_unknown_level_label(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(2, "self.learning", "超级好"))
    refused(new_from(roster, out_dir), out_dir, ["评分无效", "优秀/良好/一般/待改进"],
            ["invalid rating", "one of 优秀/良好/一般/待改进"],
            [str(roster), "行/row 4", "列/column self.learning", "'超级好'"])


def test_csv_duplicate_employee_id(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(2, "employee_id", "KF1001"))
    refused(new_from(roster, out_dir), out_dir, ["工号重复", "唯一的工号"],
            ["duplicate employee ID", "a unique employee ID"],
            [str(roster), "行/row 4", "列/column employee_id", "'KF1001'", "行/row 2"])


def test_csv_negative_tenure(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "tenure_years", "-1"))
    refused(new_from(roster, out_dir), out_dir, ["工龄无效", "≥ 0 的年数"],
            ["invalid tenure", "years ≥ 0"],
            [str(roster), "行/row 2", "列/column tenure_years", "-1"])


def test_csv_non_numeric_tenure(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(1, "tenure_years", "三年"))
    refused(new_from(roster, out_dir), out_dir, ["工龄无效", "≥ 0 的年数"],
            ["invalid tenure", "years ≥ 0"],
            [str(roster), "行/row 3", "列/column tenure_years", "'三年'"])


def test_csv_missing_tenure_shows_the_blank(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "tenure_years", ""))
    refused(new_from(roster, out_dir), out_dir, ["工龄无效;发现 ''"], ["invalid tenure; found ''"],
            [str(roster), "行/row 2", "列/column tenure_years"])


def test_csv_unknown_column(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", header=HEADER.replace("customer", "bonus"))
    refused(new_from(roster, out_dir), out_dir, ["未知的列", "或评分列"],
            ["unknown column", "expected employee_id"], [str(roster), "列/column 17", "'bonus'"])


def test_csv_not_utf8(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", encoding="gbk")
    refused(new_from(roster, out_dir), out_dir, ["CSV 不是 UTF-8 编码", "CSV UTF-8"],
            ["the CSV is not UTF-8", "save as 'CSV UTF-8'"],
            [str(roster), "行/row 2", repr("王伟".encode("gbk"))])


def test_csv_not_utf8_after_a_bom_names_the_right_bytes(tmp_path: Path, out_dir: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_bytes(b"\xef\xbb\xbf" + "\n".join([HEADER, *ROWS]).encode("gbk"))
    refused(new_from(roster, out_dir), out_dir, ["CSV 不是 UTF-8 编码"], ["the CSV is not UTF-8"],
            [str(roster), "行/row 2", repr("王伟".encode("gbk"))])


def test_csv_control_character(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(1, "name", "李\x00磊"))
    refused(new_from(roster, out_dir), out_dir, ["含有控制字符", "可打印的文本"],
            ["contains a control character", "printable text"], [str(roster), "行/row 3", "'\\x00'"])


def test_csv_field_longer_than_a_cell_holds(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "department", "部" * 40_000))
    refused(new_from(roster, out_dir), out_dir, ["文本过长", "≤ 32767 个字符"],
            ["text too long", "≤ 32767 characters"],
            [str(roster), "行/row 2", "列/column department", "40000"])


def test_csv_field_beyond_the_csv_field_limit(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "name", '"' + "x" * 200_000 + '"'))
    refused(new_from(roster, out_dir), out_dir, ["CSV 格式错误", "RFC 4180"],
            ["malformed CSV", "RFC 4180"], [str(roster), "行/row 2", "field limit"])


def test_csv_chinese_headers_name_the_column_as_written(tmp_path: Path, out_dir: Path) -> None:
    rows = with_field(0, "主管评-沟通能力", "好", HEADER_ZH)
    roster = write_csv(tmp_path / "r.csv", header=HEADER_ZH, rows=rows)
    refused(new_from(roster, out_dir), out_dir, ["评分无效"], ["invalid rating"],
            [str(roster), "行/row 2", "列/column 主管评-沟通能力", "'好'"])


# --- the budget option ------------------------------------------------------------------------

@pytest.mark.parametrize("budget", ["-5", "abc", "1000.005", "1,2,3"])
def test_budget_negative_not_a_number_or_past_the_cent(budget: str, out_dir: Path) -> None:
    result = invoke("new", "appraisal", "--budget", budget, "-o", out_dir / "book.xlsx")
    refused(result, out_dir, ["预算无效", "非负金额"], ["invalid budget", "a non-negative amount"],
            ["--budget", repr(budget)])


def test_console_script_exits_2_with_both_languages_on_stderr(tmp_path: Path,
                                                              out_dir: Path) -> None:
    """The real process, not the test runner: status 2, both lines on stderr, none on stdout."""
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "customer", "abc"))
    proc = subprocess.run([sys.executable, "-m", "xlperf.cli", "new", "appraisal", "--from",
                           str(roster), "-o", str(out_dir / "book.xlsx")],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.splitlines()[0].startswith(f"错误: {roster}: 行/row 2, 列/column customer")
    assert proc.stderr.splitlines()[1].startswith(f"error: {roster}: 行/row 2, 列/column customer")
    assert list(out_dir.iterdir()) == []


# --- positive controls --------------------------------------------------------------------------

def data_cell(book: Path, key: str, i: int) -> openpyxl.cell.Cell:
    ws = openpyxl.load_workbook(book)[SHEETS["appraisal"]]
    return ws[LAYOUT.cell(key, FIRST_ROW + i)]


def test_chinese_headers_with_bom_are_accepted(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", header=HEADER_ZH, encoding="utf-8-sig")
    result = new_from(roster, out_dir)
    assert result.exit_code == 0, result.stderr
    book = out_dir / "book.xlsx"
    assert data_cell(book, "employee_id", 0).value == "KF1001"
    assert data_cell(book, "supervisor.knowledge", 1).value == 88
    assert data_cell(book, "self.learning", 1).value == "优秀"
    assert sorted(p.name for p in out_dir.iterdir()) == ["book.xlsx"]


def test_utf8_bom_with_english_keys_is_accepted(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", encoding="utf-8-sig")
    assert new_from(roster, out_dir).exit_code == 0
    assert data_cell(out_dir / "book.xlsx", "employee_id", 0).value == "KF1001"


def test_blank_is_not_rated(tmp_path: Path, out_dir: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "customer", " "))
    result = new_from(roster, out_dir)
    assert result.exit_code == 0, result.stderr
    book = out_dir / "book.xlsx"
    assert data_cell(book, "customer", 0).value is None
    assert data_cell(book, "peer.interpersonal", 2).value is None


def test_name_starting_with_equals_stays_text(tmp_path: Path, out_dir: Path) -> None:
    name = '=HYPERLINK("http://example.com","x")'
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "name", '"' + name.replace('"', '""')
                                                        + '"'))
    assert new_from(roster, out_dir).exit_code == 0
    cell = data_cell(out_dir / "book.xlsx", "name", 0)
    assert (cell.value, cell.data_type) == (name, "s")
    result = invoke("export", out_dir / "book.xlsx", "-o", tmp_path / "results.csv")
    assert result.exit_code == 0, result.stderr
    with open(tmp_path / "results.csv", encoding="utf-8-sig", newline="") as fh:
        assert next(csv.DictReader(fh))["name"] == "'" + name  # neutralized for Excel


# --- workbooks: xlperf recalc FILE -o OUT, xlperf export FILE -o OUT.csv -------------------------

@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid workbook built from ROWS, with room for CAPACITY employees."""
    folder = tmp_path_factory.mktemp("book")
    roster = write_csv(folder / "roster.csv")
    result = invoke("new", "appraisal", "--from", roster, "-o", folder / "book.xlsx",
                    "--capacity", CAPACITY)
    assert result.exit_code == 0, result.stderr
    return folder / "book.xlsx"


def edited(book: Path, dest: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """A copy of ``book`` edited as HR would, with openpyxl load and save."""
    wb = openpyxl.load_workbook(book)
    edit(wb)
    wb.save(dest)
    return dest


def first_cell(wb: openpyxl.Workbook, name: str) -> tuple[str, str]:
    """(sheet, first cell) a defined name points at: FactorWeight -> ('方案', 'C5')."""
    sheet, cells = next(iter(wb.defined_names[name].destinations))
    return sheet, cells.replace("$", "").split(":")[0]


def set_name(name: str, value: object) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        sheet, cell = first_cell(wb, name)
        wb[sheet][cell] = value
    return edit


def set_input(key: str, i: int, value: object) -> Callable[[openpyxl.Workbook], None]:
    def edit(wb: openpyxl.Workbook) -> None:
        wb[SHEETS["appraisal"]][LAYOUT.cell(key, FIRST_ROW + i)] = value
    return edit


COMMANDS = {"recalc": ("recalc", "out.xlsx"), "export": ("export", "out.csv")}


@pytest.fixture(params=sorted(COMMANDS))
def run_on(request: pytest.FixtureRequest, out_dir: Path) -> Callable[[Path], Result]:
    """Runs recalc or export of a workbook into ``out_dir``."""
    command, name = COMMANDS[request.param]
    return lambda path: invoke(command, path, "-o", out_dir / name)


def at(key: str, i: int) -> str:
    return f"{SHEETS['appraisal']}!{LAYOUT.cell(key, FIRST_ROW + i)}"


def test_workbook_is_valid_to_begin_with(book: Path, run_on: Callable[[Path], Result],
                                         out_dir: Path) -> None:
    result = run_on(book)
    assert result.exit_code == 0, result.stderr
    assert len(list(out_dir.iterdir())) == 1


def test_workbook_text_where_a_score_belongs(book: Path, tmp_path: Path, out_dir: Path,
                                             run_on: Callable[[Path], Result]) -> None:
    bad = edited(book, tmp_path / "bad.xlsx", set_input("supervisor.knowledge", 0, "abc"))
    refused(run_on(bad), out_dir, ["评分无效", "0–100 的数或 优秀/良好/一般/待改进"],
            ["invalid rating", "a number 0–100 or one of"],
            [str(bad), at("supervisor.knowledge", 0), "'abc'"])


def test_workbook_score_outside_0_100(book: Path, tmp_path: Path, out_dir: Path,
                                      run_on: Callable[[Path], Result]) -> None:
    bad = edited(book, tmp_path / "bad.xlsx", set_input("customer", 1, 150))
    refused(run_on(bad), out_dir, ["评分无效", "0–100"], ["invalid rating", "0–100"],
            [str(bad), at("customer", 1), "150"])


def test_workbook_rating_minus_5(book: Path, tmp_path: Path, out_dir: Path,
                                 run_on: Callable[[Path], Result]) -> None:
    bad = edited(book, tmp_path / "bad.xlsx", set_input("self.knowledge", 2, -5))
    refused(run_on(bad), out_dir, ["评分无效"], ["invalid rating"],
            [str(bad), at("self.knowledge", 2), "-5"])


def test_workbook_unknown_level_label(book: Path, tmp_path: Path, out_dir: Path,
                                      run_on: Callable[[Path], Result]) -> None:
    bad = edited(book, tmp_path / "bad.xlsx", set_input("supervisor.learning", 0, "很好"))
    refused(run_on(bad), out_dir, ["评分无效", "优秀/良好/一般/待改进"],
            ["invalid rating", "优秀/良好/一般/待改进"],
            [str(bad), at("supervisor.learning", 0), "'很好'"])


def test_workbook_duplicate_employee_id(book: Path, tmp_path: Path, out_dir: Path,
                                        run_on: Callable[[Path], Result]) -> None:
    bad = edited(book, tmp_path / "bad.xlsx", set_input("employee_id", 1, "KF1001"))
    refused(run_on(bad), out_dir, ["工号重复", "唯一的工号"],
            ["duplicate employee ID", "a unique employee ID"],
            [str(bad), at("employee_id", 1), at("employee_id", 0), "'KF1001'"])


@pytest.mark.parametrize("tenure", [-2, "两年"])
def test_workbook_negative_or_non_numeric_tenure(tenure: object, book: Path, tmp_path: Path,
                                                 out_dir: Path,
                                                 run_on: Callable[[Path], Result]) -> None:
    bad = edited(book, tmp_path / "bad.xlsx", set_input("tenure_years", 0, tenure))
    refused(run_on(bad), out_dir, ["工龄无效", "≥ 0 的年数"], ["invalid tenure", "years ≥ 0"],
            [str(bad), at("tenure_years", 0), repr(tenure)])


def test_workbook_factor_weights_not_100(book: Path, tmp_path: Path, out_dir: Path,
                                         run_on: Callable[[Path], Result]) -> None:
    bad = edited(book, tmp_path / "bad.xlsx", set_name("FactorWeight", 0.5))  # 25% -> 50%
    refused(run_on(bad), out_dir, ["要素权重合计须为 100%", "+25%", "应为 100%"],
            ["factor weights must sum to 100%", "+25%", "expected 100%"],
            [str(bad), f"{SHEETS['scheme']}!C5:C9", "'125%'"])


def test_workbook_rater_weights_not_100(book: Path, tmp_path: Path, out_dir: Path,
                                        run_on: Callable[[Path], Result]) -> None:
    bad = edited(book, tmp_path / "bad.xlsx", set_name("RaterWeight", 0.1))  # self 0% -> 10%
    sheet, cell = first_cell(openpyxl.load_workbook(book), "RaterWeight")
    refused(run_on(bad), out_dir, ["评价人权重合计须为 100%", "+10%"],
            ["rater weights must sum to 100%", "+10%"], [str(bad), f"{sheet}!{cell}:", "'110%'"])


@pytest.mark.parametrize("budget", [-5, 200000.123])
def test_workbook_budget_negative_or_past_the_cent(book: Path, tmp_path: Path, out_dir: Path,
                                                   run_on: Callable[[Path], Result],
                                                   budget: float) -> None:
    bad = edited(book, tmp_path / "bad.xlsx", set_name("Budget", budget))
    sheet, cell = first_cell(openpyxl.load_workbook(book), "Budget")
    refused(run_on(bad), out_dir, ["预算无效", "两位小数"], ["invalid budget", "2 decimals"],
            [str(bad), f"{sheet}!{cell}", str(budget)])


def test_workbook_blank_is_not_rated(book: Path, tmp_path: Path, out_dir: Path,
                                     run_on: Callable[[Path], Result]) -> None:
    good = edited(book, tmp_path / "good.xlsx", set_input("supervisor.knowledge", 0, None))
    assert invoke("recalc", good).exit_code == 0  # the edit left no cached values; export needs them
    assert run_on(good).exit_code == 0


# --- nothing is lost on a refusal ----------------------------------------------------------------

def test_refused_recalc_in_place_leaves_the_file_and_no_backup(book: Path, tmp_path: Path) -> None:
    folder = tmp_path / "in_place"
    folder.mkdir()
    bad = edited(book, folder / "bad.xlsx", set_input("customer", 0, "abc"))
    before = bad.read_bytes()
    assert invoke("recalc", bad).exit_code == 2
    assert bad.read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["bad.xlsx"]


def test_refusal_keeps_an_existing_output_file(tmp_path: Path) -> None:
    roster = write_csv(tmp_path / "r.csv", rows=with_field(0, "customer", "abc"))
    existing = tmp_path / "book.xlsx"
    existing.write_bytes(b"keep me")
    result = invoke("new", "appraisal", "--from", roster, "-o", existing)
    assert result.exit_code == 2
    assert existing.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.xlsx", "r.csv"]

