// xlperf's Office.js add-in client, served by `xlperf serve`: the custom functions (XLPERF.SCORE …)
// and the ribbon's commands. Each command reads the workbook once (values, names, the active
// sheet), posts it to the server, which runs the macro with xlperf and answers with a list of
// actions (setValues, setFormula, addSheet, namesAdd …) that this file carries out in Excel.
/* global Office, Excel, CustomFunctions */
"use strict";

const XLPERF = {
  base: "",
  version: "",
  commands: [],  // the ribbon's macros, set by xlperf serve after this script

  async post(path, body) {
    const response = await fetch(this.base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(text.slice(0, 250));
    return JSON.parse(text);
  },

  // --- custom functions ----------------------------------------------------------------------

  async call(name, args, invocation) {
    try {
      const answer = await this.post("/xlwings/custom-functions-call", {
        client: "Office.js", func_name: name, args: args, version: this.version,
        runtime: "1.4", caller_address: invocation && invocation.address || null,
        culture_info_name: Office.context.displayLanguage || "zh-CN", date_format: null,
      });
      return answer.result;
    } catch (error) {
      throw new CustomFunctions.Error(CustomFunctions.ErrorCode.invalidValue,
                                      String(error.message || error));
    }
  },

  // --- ribbon commands -------------------------------------------------------------------------

  async bookJson(context) {
    const workbook = context.workbook;
    const sheets = workbook.worksheets;
    sheets.load("items/name,items/visibility");
    const active = workbook.worksheets.getActiveWorksheet();
    active.load("position");
    const names = workbook.names;
    names.load("items/name,items/formula,items/type");
    await context.sync();
    const ranges = sheets.items.map((sheet) => {
      const used = sheet.getUsedRangeOrNullObject(true);
      used.load("address,rowIndex,columnIndex,rowCount,columnCount");
      return used;
    });
    await context.sync();
    const values = ranges.map((used, i) => {
      if (used.isNullObject) return null;
      const all = sheets.items[i].getRangeByIndexes(
        0, 0, used.rowIndex + used.rowCount, used.columnIndex + used.columnCount);
      all.load("values");
      return all;
    });
    await context.sync();
    this.order = sheets.items.map((sheet) => sheet.name);
    return {
      client: "Office.js", version: this.version,
      book: { name: "", active_sheet_index: active.position, selection: "A1" },
      names: names.items.map((n) => ({
        name: n.name, sheet_index: null, address: null, scope_sheet_name: null,
        scope_sheet_index: null, book_scope: true, refers_to: n.formula,
      })),
      sheets: sheets.items.map((sheet, i) => ({
        name: sheet.name,
        values: values[i] ? values[i].values : [[""]],
        used_range_address: ranges[i].isNullObject ? null : ranges[i].address.split("!").pop(),
        visibility: sheet.visibility, show_gridlines: true, tables: [], pictures: [],
        shapes: [], charts: [], notes: [], pivot_tables: [], print_area: null,
      })),
    };
  },

  // The sheets in workbook order, as the server counts them (sheet_position).
  order: [],

  sheet(context, position) {
    return context.workbook.worksheets.getItem(this.order[position]);
  },

  range(context, action) {
    return this.sheet(context, action.sheet_position).getRangeByIndexes(
      action.start_row, action.start_column, action.row_count, action.column_count);
  },

  // Each action the server may return, carried out with the Excel JavaScript API.
  handlers: {
    setValues: (x, c, a) => { x.range(c, a).values = a.values; },
    setFormula: (x, c, a) => { x.range(c, a).formulas = a.values; },
    addSheet: (x, c, a) => {
      c.workbook.worksheets.add(a.args[1]).position = a.args[0];
      x.order.splice(a.args[0], 0, a.args[1]);
    },
    namesAdd: (x, c, a) => { c.workbook.names.add(a.args[0], a.args[1]); },
    nameDelete: (x, c, a) => { c.workbook.names.getItem(a.args[0]).delete(); },
    setColumnWidth: (x, c, a) => { x.range(c, a).format.columnWidth = a.args[0]; },  // points
    setRangeColor: (x, c, a) => {
      const fill = x.range(c, a).format.fill;
      if (a.args[0]) fill.color = a.args[0]; else fill.clear();
    },
    sheetClearContents: (x, c, a) => { x.sheet(c, a.sheet_position).getRange().clear("Contents"); },
    rangeUnmerge: (x, c, a) => { x.range(c, a).unmerge(); },
    rangeMerge: (x, c, a) => { x.range(c, a).merge(Boolean(a.args[0])); },
    sheetProtect: (x, c, a) => {
      x.sheet(c, a.sheet_position).protection.protect({ allowFormatColumns: true,
                                                        allowFormatRows: true });
    },
    sheetUnprotect: (x, c, a) => { x.sheet(c, a.sheet_position).protection.unprotect(); },
    alert: (x, c, a) => { x.message = a.args[0]; },
  },

  async apply(context, actions) {
    for (const action of actions) {
      const handler = this.handlers[action.func];
      if (!handler) throw new Error("xlperf: unknown action " + action.func);
      handler(this, context, action);
      if (action.func === "addSheet" || action.func === "nameDelete") await context.sync();
    }
    await context.sync();
  },

  async run(name) {
    this.message = "";
    return Excel.run(async (context) => {
      const book = await this.bookJson(context);
      const answer = await this.post("/xlwings/custom-scripts-call/" + name, book);
      await this.apply(context, answer.actions);
      return this.message;
    });
  },

  // What a command has to say (done, or why not), in a small dialog: a ribbon command has no
  // window of its own.
  tell(text) {
    if (!text) return;
    const url = this.base + "/message.html?text=" + encodeURIComponent(text.slice(0, 1500));
    Office.context.ui.displayDialogAsync(url, { height: 25, width: 40, displayInIframe: true });
  },
};

// The ribbon's buttons (manifest.xml: ExecuteFunction), registered once Office is ready.
function register() {
  for (const name of XLPERF.commands) {
    Office.actions.associate(name, (event) => {
      XLPERF.run(name)
        .catch((error) => { XLPERF.message = "xlperf: " + String(error.message || error); })
        .finally(() => { XLPERF.tell(XLPERF.message); event.completed(); });
    });
  }
}

if (typeof module !== "undefined") {
  module.exports = { XLPERF };  // for the tests, run by node with a stand-in for Excel
} else {
  Office.onReady(register);
}
