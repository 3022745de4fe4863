Attribute VB_Name = "xlperfRibbon"
' The xlperf ribbon's callbacks (customUI14.xml): each runs one macro of udfs/xlperf_ribbon.py
' through xlwings' RunPython, in the workbook the user is in. The add-in also holds xlwings' own
' VBA module (RunPython), imported by `xlperf addin`.
Option Explicit

Sub XlperfNewTemplate(control As IRibbonControl)
    RunPython "from udfs import xlperf_ribbon; xlperf_ribbon.new_template()"
End Sub

Sub XlperfLivenSheet(control As IRibbonControl)
    RunPython "from udfs import xlperf_ribbon; xlperf_ribbon.liven_sheet()"
End Sub

Sub XlperfRerender(control As IRibbonControl)
    RunPython "from udfs import xlperf_ribbon; xlperf_ribbon.rerender()"
End Sub

Sub XlperfCheckWorkbook(control As IRibbonControl)
    RunPython "from udfs import xlperf_ribbon; xlperf_ribbon.check_workbook()"
End Sub

Sub XlperfExportResults(control As IRibbonControl)
    RunPython "from udfs import xlperf_ribbon; xlperf_ribbon.export_results()"
End Sub
