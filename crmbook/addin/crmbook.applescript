-- crmbook's Python check for Excel on a Mac (installed by `crmbook addin install` into
-- ~/Library/Application Scripts/com.microsoft.Excel). The add-in's VBA calls
-- AppleScriptTask("crmbook.applescript", "CheckPython", "INTERPRETER|PYTHON CODE") before it
-- runs a button: the answer is the exit code of INTERPRETER -B -c "PYTHON CODE" as text
-- (0: ready; 127: the interpreter is not there), so VBA can say in the workbook's language
-- what is wrong instead of failing silently in the background.

on CheckPython(parameters)
	set AppleScript's text item delimiters to "|"
	set interpreter to text item 1 of parameters
	set code to text item 2 of parameters
	set AppleScript's text item delimiters to ""
	try
		do shell script quoted form of interpreter & " -B -c " & quoted form of code
		return "0"
	on error errMsg number errNumber
		return errNumber as string
	end try
end CheckPython
