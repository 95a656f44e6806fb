Attribute VB_Name = "CrmRibbon"
' Ribbon callbacks of the crmbook add-in. Each button runs one line of Python through xlwings:
' the work (and every message) is crmbook.excel's. VBA only asks what Excel alone can ask for
' (a file, a campaign name) and lists the selection names for the dropdown menus.
' Text crosses to Python as hex of its UTF-16 code units: no quoting layer on the way (cmd.exe,
' AppleScript, the shell, Python) can break it. Callbacks take "control As Object" so the
' project needs no reference to the Office type library.
Option Explicit

Sub CrmValidate(control As Object)
    RunPython "import crmbook.excel as x; x.validate()"
End Sub

Sub CrmSelectionMenu(control As Object, ByRef content)
    content = SelectionMenu(SelectionNames(), "CrmSelect")
End Sub

Sub CrmSelect(control As Object)
    RunPython "import crmbook.excel as x; x.select(x.unhex('" & Hex16(control.Tag) & "'))"
End Sub

Sub CrmPreviewMenu(control As Object, ByRef content)
    content = SelectionMenu(SelectionNames(), "CrmPreviewLetter")
End Sub

Sub CrmPreviewLetter(control As Object)
    Dim template As String
    template = AskTemplate()
    If template = "" Then Exit Sub
    RunPython "import crmbook.excel as x; x.preview_letter(x.unhex('" & Hex16(control.Tag) & "'), x.unhex('" & Hex16(template) & "'))"
End Sub

Sub CrmLettersMenu(control As Object, ByRef content)
    content = SelectionMenu(SelectionNames(), "CrmMakeLetters")
End Sub

Sub CrmMakeLetters(control As Object)
    Dim template As String, campaign As String
    template = AskTemplate()
    If template = "" Then Exit Sub
    campaign = InputBox("Campaign name (Kampanjenavn):", "crmbook", control.Tag)
    If campaign = "" Then Exit Sub
    RunPython "import crmbook.excel as x; x.make_letters(x.unhex('" & Hex16(control.Tag) & "'), x.unhex('" & Hex16(template) & "'), x.unhex('" & Hex16(campaign) & "'))"
End Sub

Sub CrmReport(control As Object)
    RunPython "import crmbook.excel as x; x.report()"
End Sub

Sub CrmImport(control As Object)
    Dim other As String
    other = AskFile("Excel workbooks (*.xlsx),*.xlsx", "Register to import (register som skal importeres)")
    If other = "" Then Exit Sub
    RunPython "import crmbook.excel as x; x.import_register(x.unhex('" & Hex16(other) & "'))"
End Sub

Sub CrmHelp(control As Object)
    RunPython "import crmbook.excel as x; x.help()"
End Sub

Private Function AskTemplate() As String
    AskTemplate = AskFile("Word templates (*.docx),*.docx", "Letter template (brevmal)")
End Function

Private Function AskFile(fileFilter As String, title As String) As String
    ' Excel's own file dialog; on a Mac the Windows filter syntax is not understood, so none.
    Dim chosen As Variant
    #If Mac Then
        chosen = Application.GetOpenFilename()
    #Else
        chosen = Application.GetOpenFilename(fileFilter, , title)
    #End If
    If VarType(chosen) = vbString Then AskFile = chosen
End Function

Private Function Hex16(ByVal text As String) As String
    Dim i As Long, out As String
    For i = 1 To Len(text)
        out = out & Right$("000" & Hex$(AscW(Mid$(text, i, 1)) And &HFFFF&), 4)
    Next i
    Hex16 = out
End Function

Private Function SelectionNames() As Collection
    ' Names in the Selection column of the active workbook's Selections sheet (Utvalg), once
    ' each, in sheet order. Anything unexpected gives an empty list; Python explains.
    Dim names As New Collection, sht As Object, col As Long, r As Long, last As Long
    Dim v As String
    On Error GoTo Done
    Set sht = FindSheet(ActiveWorkbook, "selections", "utvalg")
    If sht Is Nothing Then GoTo Done
    col = FindHeader(sht, "selection", "utvalg")
    If col = 0 Then GoTo Done
    last = sht.Cells(sht.Rows.Count, col).End(-4162).Row ' xlUp
    For r = 2 To last
        v = Trim$(CStr(sht.Cells(r, col).Value))
        If v <> "" And Not Contains(names, v) Then names.Add v, v
    Next r
Done:
    Set SelectionNames = names
End Function

Private Function Contains(items As Collection, key As String) As Boolean
    Dim probe As Variant
    On Error Resume Next
    probe = items(key)
    Contains = (Err.Number = 0)
    On Error GoTo 0
End Function

Private Function Norm(text As String) As String
    Norm = LCase$(Replace(Trim$(text), " ", ""))
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
    last = sht.Cells(1, sht.Columns.Count).End(-4159).Column ' xlToLeft
    For c = 1 To last
        For Each n In names
            If Norm(CStr(sht.Cells(1, c).Value)) = n Then
                FindHeader = c
                Exit Function
            End If
        Next n
    Next c
End Function

Private Function SelectionMenu(names As Collection, action As String) As String
    ' The menu of a ribbon dynamicMenu: one button per selection, its name in the tag. With no
    ' selections, one button that lets Python explain what to do.
    Dim xml As String, i As Long
    xml = "<menu xmlns=""http://schemas.microsoft.com/office/2009/07/customui"">"
    For i = 1 To names.Count
        xml = xml & "<button id=""" & action & i & """ label=""" & XmlText(names(i)) & _
              """ tag=""" & XmlText(names(i)) & """ onAction=""" & action & """/>"
    Next i
    If names.Count = 0 Then
        xml = xml & "<button id=""" & action & "None"" label=""No selections found (Selections / Utvalg)"" tag="""" onAction=""CrmSelect""/>"
    End If
    SelectionMenu = xml & "</menu>"
End Function

Private Function XmlText(ByVal text As String) As String
    text = Replace(text, "&", "&amp;")
    text = Replace(text, "<", "&lt;")
    text = Replace(text, ">", "&gt;")
    XmlText = Replace(text, """", "&quot;")
End Function
