Attribute VB_Name = "RibbonMyAddin"
' Ribbon callbacks of the crmbook add-in, in the ribbon module of xlwings' add-in template (its
' name is the template's: crmbook edits module sources only). Each button runs one line of Python
' through xlwings' RunPython: the work, and every message about it, is crmbook.excel's. VBA asks
' only what Excel alone can ask for (a file, a campaign name, the selected row), lists the
' selections for the menus, and checks that the Python the add-in runs is there and has crmbook
' before it starts it. The build appends Words(), every text in English and bokmal.
' Text crosses to Python as hex of its UTF-16 code units: no quoting layer on the way (cmd.exe,
' AppleScript, the shell, Python) can break it.
Option Explicit

Private Const CUSTOMUI As String = "http://schemas.microsoft.com/office/2006/01/customui"
Private Const PROBE_GONE As Long = -1
Private Const PROBE_NO_HELPER As Long = -2
' The Python that answered the check in this Excel session: it is not started twice.
Private checkedPython As String

' ---- the ribbon's texts, in the language Office runs in ----------------------------------

Sub CrmLabel(control As IRibbonControl, ByRef label)
    label = Words(control.ID & ".label", UiNorwegian())
End Sub

Sub CrmScreentip(control As IRibbonControl, ByRef screentip)
    screentip = Words(control.ID & ".screentip", UiNorwegian())
End Sub

Sub CrmSupertip(control As IRibbonControl, ByRef supertip)
    supertip = Words(control.ID & ".supertip", UiNorwegian())
End Sub

Sub CrmRibbonLoaded(ribbon As IRibbonUI)
    Set crmRibbon = ribbon
End Sub

Sub CrmDatabaseVisible(control As IRibbonControl, ByRef visible)
    ' Pull and Sync show for a workbook whose Settings sheet names a database.
    visible = HasDatabase()
End Sub

' ---- buttons ------------------------------------------------------------------------------

Sub CrmValidate(control As IRibbonControl)
    Go "import crmbook.excel as x; x.validate()"
End Sub

Sub CrmValidateFix(control As IRibbonControl)
    Go "import crmbook.excel as x; x.validate_fix()"
End Sub

Sub CrmImport(control As IRibbonControl)
    Dim other As String
    If Not HaveWorkbook() Then Exit Sub
    other = AskFile("register", ActiveWorkbook.Path)
    If other = "" Then Exit Sub
    Go "import crmbook.excel as x; x.import_register(x.unhex('" & Hex16(other) & "'))"
End Sub

Sub CrmSettings(control As IRibbonControl)
    Go "import crmbook.excel as x; x.settings()"
End Sub

Sub CrmReport(control As IRibbonControl)
    Go "import crmbook.excel as x; x.report()"
End Sub

Sub CrmReportPdf(control As IRibbonControl)
    Go "import crmbook.excel as x; x.report_pdf()"
End Sub

Sub CrmHelp(control As IRibbonControl)
    Go "import crmbook.excel as x; x.help()"
End Sub

Sub CrmExport(control As IRibbonControl)
    If Not HaveWorkbook() Then Exit Sub
    Go "import crmbook.excel as x; x.export_customer(" & HereArgs() & ")"
End Sub

Sub CrmErase(control As IRibbonControl)
    If Not HaveWorkbook() Then Exit Sub
    Go "import crmbook.excel as x; x.erase_customer(" & HereArgs() & ")"
End Sub

Sub CrmPull(control As IRibbonControl)
    Go "import crmbook.excel as x; x.db_pull()"
End Sub

Sub CrmSync(control As IRibbonControl)
    Go "import crmbook.excel as x; x.db_sync()"
End Sub

' ---- menus of the selections on the Selections sheet, and their items ----------------------

Sub CrmSelectionMenu(control As IRibbonControl, ByRef content)
    content = SelectionMenu(SelectionNames(), "CrmSelect", Words("menu.none", BookNorwegian()))
End Sub

Sub CrmSelect(control As IRibbonControl)
    Go "import crmbook.excel as x; x.select(x.unhex('" & Hex16(control.Tag) & "'))"
End Sub

Sub CrmPreviewMenu(control As IRibbonControl, ByRef content)
    content = SelectionMenu(SelectionNames(), "CrmPreviewLetter", Words("menu.none", BookNorwegian()))
End Sub

Sub CrmPreviewLetter(control As IRibbonControl)
    Dim template As String
    If Not HaveWorkbook() Then Exit Sub
    template = AskFile("template", TemplateFolder())
    If template = "" Then Exit Sub
    Go "import crmbook.excel as x; x.preview_letter(x.unhex('" & Hex16(control.Tag) & "'), x.unhex('" & Hex16(template) & "'))"
End Sub

Sub CrmLettersMenu(control As IRibbonControl, ByRef content)
    content = SelectionMenu(SelectionNames(), "CrmMakeLetters", Words("menu.none", BookNorwegian()))
End Sub

Sub CrmMakeLetters(control As IRibbonControl)
    Dim args As String
    args = LettersArgs(control.Tag)
    If args = "" Then Exit Sub
    Go "import crmbook.excel as x; x.make_letters(" & args & ")"
End Sub

Sub CrmLettersPdfMenu(control As IRibbonControl, ByRef content)
    content = SelectionMenu(SelectionNames(), "CrmMakeLettersPdf", Words("menu.none", BookNorwegian()))
End Sub

Sub CrmMakeLettersPdf(control As IRibbonControl)
    Dim args As String
    args = LettersArgs(control.Tag)
    If args = "" Then Exit Sub
    Go "import crmbook.excel as x; x.make_letters_pdf(" & args & ")"
End Sub

Sub CrmExplainMenu(control As IRibbonControl, ByRef content)
    content = SelectionMenu(SelectionNames(), "CrmExplain", Words("menu.none", BookNorwegian()))
End Sub

Sub CrmExplain(control As IRibbonControl)
    If Not HaveWorkbook() Then Exit Sub
    Go "import crmbook.excel as x; x.explain_customer(x.unhex('" & Hex16(control.Tag) & "'), " & HereArgs() & ")"
End Sub

' ---- running Python -----------------------------------------------------------------------

Private Sub Go(command As String)
    ' RunPython, once the workbook and the Python are known to be there; then the Database
    ' group is redrawn (a pull may have linked the workbook, or another workbook is in front).
    If Not HaveWorkbook() Then Exit Sub
    If Not PythonReady() Then Exit Sub
    RunPython command
    Redraw
End Sub

Private Sub Redraw()
    ' Ask Office for the Database group's visibility again (Excel tells an add-in module of no
    ' workbook switch, so this runs after every button and whenever a menu opens).
    On Error Resume Next
    If Not crmRibbon Is Nothing Then crmRibbon.InvalidateControl "crmDatabaseGroup"
End Sub

Private Function HaveWorkbook() As Boolean
    HaveWorkbook = Not ActiveWorkbook Is Nothing
    If Not HaveWorkbook Then MsgBox Words("no.workbook", UiNorwegian()), vbExclamation, "crmbook"
End Function

Private Function Interpreter() As String
    ' The Python xlwings' RunPython starts: the same settings, looked up the same way.
    #If Mac Then
        Interpreter = GetConfig("INTERPRETER_MAC", "")
    #Else
        Interpreter = GetConfig("INTERPRETER_WIN", "")
    #End If
    If Interpreter = "" Then Interpreter = GetConfig("INTERPRETER", "python")
End Function

Private Function PythonReady() As Boolean
    ' Is the Python there, and does it have this add-in's crmbook and xlwings? A file check on
    ' every press; the Python itself is asked once an Excel session. Else: a message saying why,
    ' in the workbook's language, instead of xlwings' "Could not find Interpreter" or a traceback.
    Dim python As String, code As Long, text As String
    python = Interpreter()
    If python = checkedPython And Not Missing(python) Then
        PythonReady = True
        Exit Function
    End If
    code = Probe(python)
    Select Case code
    Case 0
        checkedPython = python
        PythonReady = True
        Exit Function
    Case PROBE_GONE
        text = Words("python.gone", BookNorwegian())
    Case PROBE_NO_HELPER
        text = Words("mac.helper", BookNorwegian())
    Case 1
        text = Words("python.lacks", BookNorwegian())
    Case 4
        text = Words("python.versions", BookNorwegian())
        text = Replace(Replace(text, "{crmbook}", GetConfig("CRMBOOK_VERSION", "?")), "{xlwings}", XLWINGS_VERSION)
    Case Else
        text = Replace(Words("python.failed", BookNorwegian()), "{code}", CStr(code))
    End Select
    checkedPython = ""
    MsgBox Replace(text, "{python}", python), vbCritical, "crmbook"
End Function

Private Function Missing(python As String) As Boolean
    ' A path that names no file (Windows; on a Mac the sandbox may hide files from Dir, so the
    ' probe through AppleScript answers instead). A bare "python" is looked up on PATH.
    #If Mac Then
        Missing = False
    #Else
        Dim attributes As Long
        If InStr(python, "\") = 0 And InStr(python, "/") = 0 Then Exit Function
        On Error GoTo Gone
        attributes = GetAttr(python)
        Missing = (attributes And vbDirectory) = vbDirectory
        Exit Function
Gone:
        Missing = True
    #End If
End Function

Private Function Probe(ByVal python As String) As Long
    ' The Python's exit code for ProbeCode: 0 ready, 1 crmbook (or xlwings) missing or broken,
    ' 4 other versions; PROBE_GONE when it cannot be started, PROBE_NO_HELPER on a Mac without
    ' crmbook's AppleScript.
    Dim code As String
    code = ProbeCode(GetConfig("CRMBOOK_VERSION", ""), XLWINGS_VERSION)
    #If Mac Then
        Dim answer As String
        On Error GoTo NoHelper
        If python <> "python" And python <> "pythonw" Then python = ToPosixPath(python)
        answer = AppleScriptTask("crmbook.applescript", "CheckPython", python & "|" & code)
        On Error GoTo 0
        Probe = CLng(answer)
        If Probe = 126 Or Probe = 127 Then Probe = PROBE_GONE
        Exit Function
NoHelper:
        Probe = PROBE_NO_HELPER
    #Else
        If Missing(python) Then
            Probe = PROBE_GONE
            Exit Function
        End If
        On Error GoTo Gone
        Probe = CreateObject("WScript.Shell").Run(ProbeCommand(python, code), 0, True)
        Exit Function
Gone:
        Probe = PROBE_GONE
    #End If
End Function

Private Function ProbeCode(crmbookVersion As String, xlwingsVersion As String) As String
    ' One line of Python: exit 1 (an exception) without crmbook.excel or xlwings, 4 when the
    ' versions are not the add-in's. No double quotes and no bar, so it crosses cmd and AppleScript.
    ProbeCode = "import sys,importlib.metadata as m;import crmbook.excel;" & _
        "sys.exit(4 if (m.version('crmbook'),m.version('xlwings'))!=('" & crmbookVersion & _
        "','" & xlwingsVersion & "') else 0)"
End Function

Private Function ProbeCommand(python As String, code As String) As String
    ' The Windows command line that runs ProbeCode with the Python (its path quoted).
    ProbeCommand = """" & python & """ -B -c """ & code & """"
End Function

' ---- what to ask Excel and the user --------------------------------------------------------

Private Function LettersArgs(selection As String) As String
    ' "selection, template, campaign" for x.make_letters*, or "" when the user cancelled.
    Dim template As String, campaign As String
    If Not HaveWorkbook() Then Exit Function
    template = AskFile("template", TemplateFolder())
    If template = "" Then Exit Function
    campaign = InputBox(Words("ask.campaign", BookNorwegian()), "crmbook", selection)
    If campaign = "" Then Exit Function
    LettersArgs = "x.unhex('" & Hex16(selection) & "'), x.unhex('" & Hex16(template) & _
        "'), x.unhex('" & Hex16(campaign) & "')"
End Function

Private Function HereArgs() As String
    ' "sheet, row" of the active cell, for the entry points that act on the selected customer.
    Dim sheetName As String, row As Long
    On Error Resume Next
    sheetName = ActiveSheet.Name
    row = ActiveCell.row
    On Error GoTo 0
    HereArgs = "x.unhex('" & Hex16(sheetName) & "'), " & CStr(row)
End Function

Private Function AskFile(kind As String, folder As String) As String
    ' Excel's file dialog for a letter template or a register, opened in ``folder``.
    Dim nb As Boolean, pattern As String
    nb = BookNorwegian()
    If kind = "template" Then pattern = "*.docx" Else pattern = "*.xlsx"
    #If Mac Then
        Dim chosen As Variant
        On Error Resume Next
        If folder <> "" Then ChDir folder
        On Error GoTo 0
        chosen = Application.GetOpenFilename()
        If VarType(chosen) = vbString Then AskFile = chosen
    #Else
        With Application.FileDialog(3) ' msoFileDialogFilePicker
            .AllowMultiSelect = False
            .Title = Words("ask." & kind, nb)
            .Filters.Clear
            .Filters.Add Words("filter." & kind, nb), pattern
            If folder <> "" Then .InitialFileName = folder & "\"
            If .Show = -1 Then AskFile = .SelectedItems(1)
        End With
    #End If
End Function

Private Function TemplateFolder() As String
    ' The Template folder of the workbook's Settings sheet, as a full path that exists; else the
    ' workbook's own folder; "" for a workbook that is not on a local or network drive.
    Dim home As String, sht As Object, r As Long, found As String
    On Error GoTo Done
    home = ActiveWorkbook.Path
    If home = "" Or InStr(home, "://") > 0 Then Exit Function
    TemplateFolder = home
    Set sht = FindSheet(ActiveWorkbook, "settings", "innstillinger")
    If sht Is Nothing Then Exit Function
    For r = 2 To LastRow(sht, 1)
        If IsKey(CStr(sht.Cells(r, 1).Value), "|templatefolder|malmappe|") Then
            found = FullFolder(home, Trim$(CStr(sht.Cells(r, 2).Value)), Application.PathSeparator)
            If Dir(found, vbDirectory) <> "" Then TemplateFolder = found
            Exit Function
        End If
    Next r
Done:
End Function

Private Function HasDatabase() As Boolean
    ' Does the active workbook's Settings sheet hold a Database URL (crmbook db pull wrote it)?
    Dim sht As Object, r As Long
    On Error GoTo Done
    If ActiveWorkbook Is Nothing Then Exit Function
    Set sht = FindSheet(ActiveWorkbook, "settings", "innstillinger")
    If sht Is Nothing Then Exit Function
    For r = 2 To LastRow(sht, 1)
        If IsKey(CStr(sht.Cells(r, 1).Value), "|database|") Then
            HasDatabase = Trim$(CStr(sht.Cells(r, 2).Value)) <> ""
            Exit Function
        End If
    Next r
Done:
End Function

Private Function SelectionNames() As Collection
    ' Names in the Selection column of the active workbook's Selections sheet, once each, in
    ' sheet order. Anything unexpected gives an empty list; Python explains.
    Dim names As New Collection, sht As Object, col As Long, r As Long, last As Long
    Dim v As String
    Redraw
    On Error GoTo Done
    Set sht = FindSheet(ActiveWorkbook, "selections", "utvalg")
    If sht Is Nothing Then GoTo Done
    col = FindHeader(sht, "selection", "utvalg")
    If col = 0 Then GoTo Done
    last = LastRow(sht, col)
    For r = 2 To last
        v = Trim$(CStr(sht.Cells(r, col).Value))
        If v <> "" And Not Contains(names, v) Then names.Add v, v
    Next r
Done:
    Set SelectionNames = names
End Function

Private Function FindSheet(wb As Object, ParamArray names() As Variant) As Object
    Dim sht As Object, n As Variant
    For Each sht In wb.Worksheets
        For Each n In names
            If Norm(sht.Name) = n Then
                Set FindSheet = sht
                Exit Function
            End If
        Next n
    Next sht
End Function

Private Function FindHeader(sht As Object, ParamArray names() As Variant) As Long
    Dim c As Long, last As Long, n As Variant
    last = LastColumn(sht)
    For c = 1 To last
        For Each n In names
            If Norm(CStr(sht.Cells(1, c).Value)) = n Then
                FindHeader = c
                Exit Function
            End If
        Next n
    Next c
End Function

Private Function LastRow(sht As Object, col As Long) As Long
    ' The last row with a value in the column (End(xlUp)); where there is no Range.End
    ' (LibreOffice's VBA support), the used range's last row.
    On Error Resume Next
    LastRow = sht.UsedRange.row + sht.UsedRange.Rows.Count - 1
    LastRow = sht.Cells(sht.Rows.Count, col).End(-4162).row ' xlUp
End Function

Private Function LastColumn(sht As Object) As Long
    ' The last column with a value in row 1 (End(xlToLeft)); else the used range's last column.
    On Error Resume Next
    LastColumn = sht.UsedRange.Column + sht.UsedRange.Columns.Count - 1
    LastColumn = sht.Cells(1, sht.Columns.Count).End(-4159).Column ' xlToLeft
End Function

' ---- languages ------------------------------------------------------------------------------

Private Function UiNorwegian() As Boolean
    ' Office's user-interface language (msoLanguageIDUI) is Norwegian: bokmal 1044, nynorsk 2068.
    On Error Resume Next
    UiNorwegian = IsNorwegian(Application.LanguageSettings.LanguageID(2))
End Function

Private Function BookNorwegian() As Boolean
    ' The active workbook's language, as crmbook reads it: the language more of its sheet names
    ' are in; Office's language when there is no telling.
    Dim names As String, sht As Object
    On Error Resume Next
    For Each sht In ActiveWorkbook.Worksheets
        names = names & "|" & sht.Name
    Next sht
    On Error GoTo 0
    Select Case SheetLanguage(names & "|")
    Case "nb": BookNorwegian = True
    Case "en": BookNorwegian = False
    Case Else: BookNorwegian = UiNorwegian()
    End Select
End Function

' ---- helpers that need no Excel (run in LibreOffice by the tests) ----------------------------

Private Function IsNorwegian(languageId As Long) As Boolean
    ' Norwegian in any form: the primary language of the LCID is &H14 (1044, 2068, &H7C14, ...).
    IsNorwegian = (languageId And &H3FF&) = &H14&
End Function

Private Function SheetLanguage(names As String) As String
    ' "nb", "en" or "" for "|name|name|": which language more of the sheet names are in.
    Dim parts() As String, i As Long, nb As Long, en As Long
    parts = Split(names, "|")
    For i = LBound(parts) To UBound(parts)
        If parts(i) <> "" Then
            If IsKey(parts(i), Words("sheets", True)) Then nb = nb + 1
            If IsKey(parts(i), Words("sheets", False)) Then en = en + 1
        End If
    Next i
    If nb > en Then
        SheetLanguage = "nb"
    ElseIf en > nb Then
        SheetLanguage = "en"
    End If
End Function

Private Function IsKey(text As String, keys As String) As Boolean
    ' Is the normalised text one of "|key|key|"?
    IsKey = InStr(keys, "|" & Norm(text) & "|") > 0 And Norm(text) <> ""
End Function

Private Function Norm(ByVal text As String) As String
    ' crmbook's matching key: case- and space-insensitive.
    text = Replace(Replace(Replace(text, " ", ""), vbTab, ""), ChrW(160), "")
    Norm = LCase$(text)
End Function

Private Function FullFolder(home As String, ByVal folder As String, separator As String) As String
    ' A Settings folder as a full path: relative ones are relative to the workbook's folder.
    If folder = "" Or folder = "." Then
        FullFolder = home
    ElseIf Left$(folder, 1) = "/" Or Left$(folder, 1) = "\" Or Mid$(folder, 2, 1) = ":" Then
        FullFolder = folder
    Else
        If Left$(folder, 2) = "." & separator Then folder = Mid$(folder, 3)
        FullFolder = home & separator & Replace(Replace(folder, "/", separator), "\", separator)
    End If
    If Len(FullFolder) > 1 And Right$(FullFolder, 1) = separator Then
        FullFolder = Left$(FullFolder, Len(FullFolder) - 1)
    End If
End Function

Private Function Hex16(ByVal text As String) As String
    ' Four hex digits per UTF-16 code unit: what crmbook.excel.unhex reads.
    Dim i As Long, out As String
    For i = 1 To Len(text)
        out = out & Right$("000" & Hex$(AscW(Mid$(text, i, 1)) And &HFFFF&), 4)
    Next i
    Hex16 = out
End Function

Private Function Contains(items As Collection, key As String) As Boolean
    Dim probe As Variant
    On Error Resume Next
    probe = items(key)
    Contains = (Err.Number = 0)
    On Error GoTo 0
End Function

Private Function SelectionMenu(names As Collection, action As String, noneLabel As String) As String
    ' The XML of a dynamicMenu: one button per selection, its name in the tag. With no
    ' selections, one button that lets Python explain what to do.
    Dim xml As String, i As Long
    xml = "<menu xmlns=""" & CUSTOMUI & """>"
    For i = 1 To names.Count
        xml = xml & "<button id=""" & action & i & """ label=""" & XmlText(names(i)) & _
              """ tag=""" & XmlText(names(i)) & """ onAction=""" & action & """/>"
    Next i
    If names.Count = 0 Then
        xml = xml & "<button id=""" & action & "None"" label=""" & XmlText(noneLabel) & _
              """ tag="""" onAction=""" & action & """/>"
    End If
    SelectionMenu = xml & "</menu>"
End Function

Private Function XmlText(ByVal text As String) As String
    text = Replace(text, "&", "&amp;")
    text = Replace(text, "<", "&lt;")
    text = Replace(text, ">", "&gt;")
    XmlText = Replace(text, """", "&quot;")
End Function
