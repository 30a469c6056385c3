*** Settings ***
Documentation     The keyword documentation as users read it: the HTML page libdoc
...               generates, checked in its formatted text (libdoc embeds the docs,
...               already turned into HTML, in the page as JSON).
Library           OperatingSystem
Library           Process
Suite Setup       Generate The Keyword Documentation


*** Variables ***
${HTML}           ${OUTPUT DIR}${/}libdoc${/}RobotASGI.html


*** Test Cases ***
Robot Section Headers In Examples Render As Written
    ${intro}=    Formatted Introduction
    Should Contain    ${intro}    <code>*** Settings ***</code>
    Should Contain    ${intro}    <code>*** Test Cases ***</code>
    ${page}=    Get File    ${HTML}
    Should Not Contain    ${page}    <b>*</b>

Every Row Of The Auto Close Table Renders
    ${intro}=    Formatted Introduction
    ${table}=    Evaluate    $intro[$intro.index("<table", $intro.index("auto_close")):].split("</table>")[0]
    Should Contain X Times    ${table}    <tr>    4
    Should Contain    ${table}    <td><code>TEST</code></td>
    Should Contain    ${table}    <td><code>SUITE</code></td>
    Should Contain    ${table}    <td><code>MANUAL</code></td>


*** Keywords ***
Generate The Keyword Documentation
    ${result}=    Run Process    ${{ sys.executable }}    -m    robot.libdoc    RobotASGI    ${HTML}
    ...    timeout=2 minutes
    Should Be Equal As Integers    ${result.rc}    0    ${result.stdout}${result.stderr}

Formatted Introduction
    [Documentation]    The library introduction as the page shows it (HTML).
    ${page}=    Get File    ${HTML}
    ${line}=    Evaluate    next(line for line in $page.splitlines() if line.startswith("libdoc = "))
    ${data}=    Evaluate    json.loads($line[len("libdoc = "):].rstrip(";"))
    RETURN    ${data}[doc]
