<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" sourcelanguage="en_US">
<context>
    <name></name>
    <message>
        <source>Synthetic Hemgenix carton codes for rehearsing the preparation wizard (practice mode only). Demo patient {name}, prescription weight {weight} kg, infusion date {infusion}. Scan a code, or type the text under it into the carton field and press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Outer carton label (practice): patient-specific identifier {psi} · date of birth {dob}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRACTICE — synthetic code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>preparation record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bag label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} pages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No printer is set up on this computer, so the {what} was not printed. It is saved as {path}: ask IT to set up a printer, or print that file from another computer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {what} was not printed: the saved file {path} could not be opened for printing ({reason}). Save the PDFs again with “Save PDFs…”, or open the file in a PDF viewer and print it from there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {what} was not printed: {reason}. It is saved as {path}: check the printer and print again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {what} was sent to the printer {printer}: {pages}, {copies}. Collect it and check every page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{width:g} × {height:g} in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} ({size})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer {printer} cannot take {page} paper, so it printed the {what} on its smaller {paper} paper, at true size: the edges of the pages are cut off. Do not use that print. Print the {what} again on a printer that takes {page} paper; it is saved as {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The printer {printer} cannot take {page} paper, so it printed the {what} on its {paper} paper, at true size (not enlarged or shrunk) in the middle of the sheet. Cut it to size, or print it on a printer that takes {page} paper.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {what} was printed into the file {file} ({pages}, {copies}). That file is a picture of the pages; the signed record is the saved PDF {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is missing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is not a PDF file QtPdf can read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is protected by a password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>QtPdf could not read it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the pages chosen ({first} to {last}) are not in the PDF, which has {pages}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file {file} could not be written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the printer {printer} could not start the job</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the printer {printer} stopped before page {page}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>page {page} of the PDF could not be drawn</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the printer {printer} reported an error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print preview: preparation record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print preview: bag label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{file}: {pages}, {size}. Check the pages here, then press Print to choose the printer and the number of copies; nothing is printed before that.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The PDF file that is printed, its pages and paper size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pages as they will be printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print: choose the printer and the number of copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print: the printer, the pages and the number of copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has no pages</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AboutBox</name>
    <message>
        <source>About Hemgenix Prep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the program is and what it runs on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Third-party notices…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the third-party notices and licences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the About box</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AdministrationPage</name>
    <message>
        <source>Administration constraints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge each constraint; they go with the bag to the infusion nurse.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation time and complete-by time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepared at {prepared}. The infusion must be completed by {complete_by}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Hemgenix Prep cannot start</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <source>Clinical stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STOP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOTICE</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChecklistPage</name>
    <message>
        <source>Checklist (from the policy, the label and the site)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} items on this page are still open. The first: {problem}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CorrectionScreen</name>
    <message>
        <source>Correct a sealed record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct record {record_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sealed record does not change. Your correction becomes a new record, an amendment, that names this one, says why and lists every value corrected. You sign it (“Amended by”), then a pharmacist who did not make the correction checks and signs it (“Verified by”).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record corrected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name} started this correction (amendment {number}) on {when} at {workstation}; it was never sealed. Its values are filled in below: check them, then continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A correction started earlier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the record is corrected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the correction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was wrong in the record and how you know, e.g. “Saline lot misread; checked the bag”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signatures were given on this correction with this reason. To give another reason, discard the correction and start again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrected values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In record {record_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrected value (change only what is wrong)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What cannot be corrected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard this correction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for discarding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard with this reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard the correction with this reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back, correction kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave without continuing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue to signatures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}, born {born}, MRN {mrn}, identifier {identifier}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amendment of record {record_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the original record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record {record_id} ({kind}), sealed {when}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In the record: {label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrected value: {label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong with: {label}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is signed in, so the correction cannot be saved. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct what is marked above, then continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the reason for the correction, then continue.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CredentialsForm</name>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DifferentPersonPanel</name>
    <message>
        <source>Is the earlier patient a different person?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a pharmacist who is not preparing this dose may go on, and only after showing that the earlier patient is a different person (for instance by comparing photo ID, the MRN&apos;s history and the earlier order). Otherwise stop: Hemgenix is given only once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have shown that the earlier patient is a different person.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The earlier patient was shown to be a different person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How it was shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pharmacist&apos;s username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pharmacist&apos;s password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve: a different person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve going on: the earlier patient is a different person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about the approval</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EligibilityPage</name>
    <message>
        <source>Authorization and eligibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer each criterion of the payer policy from the patient&apos;s file. Nothing is answered for you; a criterion that is not met stops the preparation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authorization and history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prior authorization on file for this one dose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes, on file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Is a prior authorization for this one dose on file?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prior AAV-vector gene therapy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No, never</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Has the patient had hemophilia AAV-vector gene therapy before?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age on the infusion date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Age (from the date of birth)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Laboratory results, as reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Factor IX inhibitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>as printed, with its &lt; or &gt; sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As printed on the report: 0.4, &lt;{limit} BU, negative… Negative means below {limit} BU. With a word, give the assay&apos;s detection limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After a positive inhibitor result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inhibitor re-test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the re-test, as reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first result is positive: the policy asks for a re-test about {days} days later. If the re-test is positive too, Hemgenix must not be given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anti-AAV5 neutralizing antibodies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anti-AAV5 NAb titre</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1:N, as printed, with its &lt; or &gt; sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1:N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As printed on the report: 1:400, &lt;1:50, &gt;1:700, not detected… With a word, give the detection limit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Assay the titre was measured with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{points}-point assay (limit 1:{limit})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Luciferase NAb assay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Criteria confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}, as reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}: date of the result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}: laboratory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{title}: the assay&apos;s detection limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>with a word only ({limit})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As reported</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Laboratory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detection limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about the {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complete the order page first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{age} years on the infusion date {date} (born {born}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirmed:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FirstUserScreen</name>
    <message>
        <source>Create the first pharmacist account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep has no accounts yet. Create the account of the pharmacist in charge: a pharmacist can sign and verify preparations, and add the others&apos; accounts with “hemgenix-prep users add”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Employee or licence number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong with the username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong with the full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong with the employee number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong with the password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whether the two passwords are the same</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2 to 32 letters, digits, dots, dashes or underscores, e.g. jsmith.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As it is printed beside your signature.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Yours only: one person has one account, e.g. E10442.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At least {count} characters, not containing the username. A few words in a row make a good password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the account could not be created</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Formatting</name>
    <message>
        <source>Mon</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Thu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fri</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sun</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apr</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>May</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jun</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jul</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Aug</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Oct</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nov</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dec</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time} on {weekday} {day} {month} {year}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HistoryWindow</name>
    <message>
        <source>History of preparations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep: history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient name or MRN, or the start of its words</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start of a name or MRN, e.g. “smi” finds Smith</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient-specific identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started on or after, YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started on or before, YYYY-MM-DD</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Draft (unfinished)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Voided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient (name or MRN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear the search and show all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong with the search, or what it found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparations found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Born</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Whose audit trail is shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprint record and label…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprint the record and the bag label of the selected sealed preparation, marked COPY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct this record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the record of the selected sealed preparation with an amendment</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit trail of the selected preparation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>#</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected event&apos;s values, before → after:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected event&apos;s values before and after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>More than {limit} preparations match; the newest {limit} are shown. To find an older one, search by patient, identifier or dates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No preparation matches this search.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 preparation found.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{count} preparations found, the newest first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>signed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>voided</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>draft, at step {number} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>voided: {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sealed, amended ({count})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, correction in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation {id} changed since it was shown: it is now {status}. It is shown as it is now; check it, then choose again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a preparation above to see its audit trail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audit trail of preparation {id} for {patient}: {count} events, the oldest first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written by Hemgenix Prep {version}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No stored value changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a sealed preparation to reprint its record and bag label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a sealed preparation has a record to reprint; preparation {id} is {status}. Its record is printed when both signatures are given and it is sealed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make the record and the bag label of preparation {id} again, marked “COPY — reprinted” with the time and your name, to print or save. The reprint is written to the audit trail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue the correction…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a sealed preparation to correct its record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct a value in the record of preparation {id} (a name, an MRN, a lot, an expiry…). The record does not change: the correction is a new amendment record, signed by you and a pharmacist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The correction of preparation {id} is open in the main window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nobody is signed in, so nothing can be reprinted. Sign in again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A copy of record {record_id} is ready to print or save.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IdentityPage</name>
    <message>
        <source>Patient identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the outer carton of the kit. Type or scan the patient-specific identifier printed on it and the date of birth shown with it, then compare them with the order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>From the outer carton</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient-specific identifier on the outer carton</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about the identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient-specific identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth shown with the identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about the date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with the order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result of the comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was typed from the carton, compared with the order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>patient-specific identifier on the carton</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date of birth shown on the carton</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press “Compare with the order” to check the carton against the order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The carton&apos;s identifier and date of birth match the order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>differs from the order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>matches the order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complete the order page first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KitPage</name>
    <message>
        <source>Kit carton and vial count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the DataMatrix on the outer kit carton (not a vial). Without a scanner, type the text printed under the code, starting with (01), and press Enter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carton scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Carton DataMatrix scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the carton here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about the scan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DataMatrix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>‖ marks a group separator the scanner sent between two fields.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the scan says</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NDC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kit vials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GTIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result of the kit check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blind vial count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Number of vials you counted in the carton</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Count the vials and type the number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about the vial count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vials counted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the carton and count the vials yourself; do not copy a number from the screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not shown: this kit is not counted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{ndc10} (billing {ndc11})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown once your count matches</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is the kit for this dose, in date on the infusion date. Now count the vials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the DataMatrix on the outer kit carton.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <source>The screen locked after 1 minute without input, to keep patient data private.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The screen locked after {minutes} minutes without input, to keep patient data private.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The screen is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the screen is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who was signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to continue where the work stopped: the same person or another one. Nothing entered is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why unlocking was refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set my password and unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A problem with the lock itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in before the lock: {who}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking password…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Hemgenix Prep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep screens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings about this start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the preparation…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preparation is opening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who is signed in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The account {who} was created. Sign in with it to begin.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed in: {who}, {role} · workstation {workstation}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation {id} for {patient} is no longer unfinished (it is {status} now, perhaps at another workstation). Open it from the History window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The end of the review could not be written to the audit trail, so the signatures were not opened: {reason} The reviewed preparation is saved: resume it and press Finish again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record {record_id} is sealed. Print the record and the bag label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who} locked the screen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit Hemgenix Prep?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is practice: nothing of it is kept after the program closes. The practice preparations, signatures and records are gone once you quit; a new practice starts from the beginning.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pages completed with Next are saved: the preparation can be resumed after signing in again. What was typed on the page open now is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What was typed on the correction screen is lost. A correction continued to its signatures before is kept: open it again from the History window.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signatures given so far are saved: after signing in again, resume the preparation and the signing goes on where it stopped. What was typed on this screen is lost.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NewPasswordForm</name>
    <message>
        <source>Choose your own password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New password (yours only: nobody else knows it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set my password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the new password was refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting your password…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NoticesWindow</name>
    <message>
        <source>Third-party notices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep: third-party notices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The third-party notices and licence texts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the third-party notices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The third-party notices cannot be shown: {reason} Reinstall Hemgenix Prep.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OrderPage</name>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PRACTICE: the demo patient&apos;s order is filled in for you, so that you can rehearse the later pages. With a real patient nothing is filled in: you type the order exactly as it appears. Dates are YYYY-MM-DD.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type the patient and the prescription exactly as they appear on the order. Dates are YYYY-MM-DD. Nothing is filled in for you.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medical record number (MRN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient-specific identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The identifier on the order that the outer carton must also carry.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prescription</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prescriber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prior-authorization number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prescription weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weight written on the order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit of the prescription weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about the prescription weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of the prescription weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Infusion date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about: {field}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date of the prescription weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>infusion date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>patient&apos;s full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>medical record number (MRN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>patient-specific identifier from the order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>order number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prescriber&apos;s name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>prior-authorization number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A pharmacist recorded that the earlier patient is a different person. Press Next to continue.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PracticeSheetDialog</name>
    <message>
        <source>Practice carton codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rehearse with these synthetic cartons: scan a code from the screen or a printout, or type its text. Save the sheet as a PNG to print it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sheet of practice carton codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the sheet as a PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the practice sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Practice sheet saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to {path}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Practice sheet not saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sheet could not be written to {path}. Choose a folder you can write to.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreparationChecksPage</name>
    <message>
        <source>Preparation checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm each step as you do it. Nothing is ticked for you.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreparationPage</name>
    <message>
        <source>Step {number} of {total}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a change on an earlier page cleared on this page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is still needed on this page</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed at another workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This page is complete. Press Next to continue.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PreparationWizard</name>
    <message>
        <source>Hemgenix preparation wizard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep: preparation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finish review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Practice carton codes…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved: another workstation changed this preparation (see below).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing of this preparation is saved. If you leave now, everything entered is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pages completed with Next are kept. What you typed on this page since then is lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave this preparation?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stay</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QPrintDialog</name>
    <message>
        <source>Print to File (PDF)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QPrintPreviewDialog</name>
    <message>
        <source>Print</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecordActions</name>
    <message>
        <source>Print record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the preparation record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print label…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the bag label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save PDFs…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save both PDFs in a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What became of printing or saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was printed: the PDF could not be saved first. {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the print preview…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the record and the label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {record} and {label} in {folder}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReprintDialog</name>
    <message>
        <source>Reprint of a sealed record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep: reprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reprint of record {record_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which record is reprinted, and how it is marked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation {id} for {patient} (born {born}, MRN {mrn}).
Every page of the record and of the label is marked: {marking}.
The original record is unchanged; this reprint is in the audit trail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record was corrected: this copy is of its newest amendment, the record in force. The records it corrects are unchanged and stay in the audit trail.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the reprint</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ResumeScreen</name>
    <message>
        <source>Unfinished preparations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>These preparations were saved but not finished (for example the program was closed or the computer stopped). Resume one where it stopped, void it with a reason, or start a new preparation. A patient with an unfinished preparation cannot get a second one until it is voided. A correction of a sealed record that was started but not sealed is listed too.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Born</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last saved by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There are no unfinished preparations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume the selected preparation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new preparation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Void the selected preparation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for voiding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it will not be finished, e.g. the infusion was cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password, to sign the voiding (Voided by)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Void with this reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password (Voided by)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened to the last action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open at {workstation} by {who}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correction of the record, not sealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correction {number} of the record, not sealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A sealed preparation&apos;s correction is discarded on its own screen: resume it, then use Discard.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation {id} for {patient} was voided. Its record and the reason stay in the History window.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read everything once more. To correct an entry, press Change beside its section (or Back); nothing you entered is lost by going back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Authorization and eligibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight and dose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kit carton and vial count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administration constraints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change: {section}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stops, warnings and notices met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have reviewed every entry on this page.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not entered yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MRN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient-specific identifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Order number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prescriber</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prior authorization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prescription weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{weight}, weighed on {date}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Infusion date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identifier on the carton</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date of birth on the carton</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Matches the order.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{time}, {method}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Calculation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{ml} mL ({gc} gc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{vials}: {plan}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{vials} vials, NDC {ndc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{supplied} mL; surplus {surplus} mL discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Below the kit table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not acknowledged.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NDC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{ndc10} (billing {ndc11})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kit vials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Expiry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vials counted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepared at {prepared}; complete the infusion by {complete_by}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not answered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirmed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{ml} mL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None: no stop, warning or notice was met.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STOP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WARNING</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NOTICE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CLEARED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ACKNOWLEDGED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tick “I have reviewed every entry on this page” to finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The review is complete. Press Finish review.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <source>What went wrong or is still needed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScreenLock</name>
    <message>
        <source>The Settings window of {who} was closed unsaved; open Settings… again to use it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Empty: {meaning}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Restore the default of {setting}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{setting}: its default and the value in effect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{setting}: an environment variable comes before the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong with {setting}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{typed}” could not be typed here: this takes a whole number from {minimum} to {maximum}, and {value} is not what you typed. Select the number and type it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings of this workstation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep: settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who may change the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are signed in as a technician, so you can read these settings but not change them. A pharmacist must change them: ask the pharmacist in charge to sign in and open Settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Practice mode saves no settings: practice must not change this workstation. You can try the form, and “Check the values” checks them, but nothing is written. To change the settings, start Hemgenix Prep without practice mode and sign in as a pharmacist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problems found in the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened when saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the values (practice saves nothing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close without saving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings file: {path}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings file: {path} (it does not exist yet: saving creates it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Until these are corrected, Hemgenix Prep uses what each sentence says:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default: {default}. In effect now: {value}, {source}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a practice database in memory (outside practice mode: {url})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{running}”, opened when Hemgenix Prep started (the next start opens {planned})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none (no database can be opened: see the sentences at the top)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the settings file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the environment variable {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>from the {source}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment variable {name} is set on this workstation, and it comes before the settings file: what is saved here is kept in the file, but {name}&apos;s value is used while it is set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The environment variable {name} is set on this workstation but cannot be used (see the sentences at the top), so it does not replace the value here. Ask IT to correct or remove it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database address still shows the password as ***, but the address was changed, so the stored password cannot be kept for it. Type the password in place of ***, or leave the address as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a pharmacist can change the settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved: {labels} cannot be used (the sentence under each says why). Correct that, then save again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every value can be used, but practice mode saves no settings, so nothing was saved. To change them, start Hemgenix Prep without practice mode and sign in as a pharmacist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved: someone changed {keys} in the settings file while this window was open. Note what you typed, close this window with Cancel and open Settings again to see the new values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was changed, so the settings file was left as it was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the settings file?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The settings file {path} cannot be read as settings, so every setting has its default now. Replace it with the values in this window? What it holds now will be lost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replace the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing was saved yet: the settings file cannot be read, see the question.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved in {path}: no value changed, but the file no longer holds what could not be used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved in {path}: {labels}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep reads its settings when it starts: close it and start it again on this workstation for the changes to apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At the next start it opens the database {new}; the preparations, accounts and audit trail made so far stay in the database in use now ({old}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{setting}: the environment variable {name} comes first while it is set.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignIn</name>
    <message>
        <source>Practice accounts: {technicians} (technician), {pharmacists} (pharmacists). The password of each is “{password}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening the database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is still opening. Wait a moment, then try again: what you typed is kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is still opening: you are signed in as soon as it is open (changing what you typed cancels that).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in to Hemgenix Prep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign in with your own username and password. Everything you do is recorded under your name. After {attempts} wrong passwords in a row your account is locked for {minutes} minutes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the sign-in was refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The practice accounts and their password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set my password and sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking password…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SigningFlow</name>
    <message>
        <source>Checking password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This correction was discarded, so it cannot be signed or sealed. Open the History window to correct the record again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This preparation was voided, so it cannot be signed or sealed. Start a new preparation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Corrects record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>“{before}” → “{after}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{ml} mL ({gc} genome copies)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vials</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{vials} (kit NDC {ndc})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kit lot, expiry, serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prepared at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Complete the infusion by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You sign as {name} ({username}), {role}. Meaning of this signature: {meaning}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The first signature of a session takes your username and your password (21 CFR 11.200).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You signed earlier in this session without a break, so your password is enough.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Patient identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparation checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administration constraints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> and </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record cannot say who completed {pages}: no one was signed in when those pages were completed. Open the preparation again while signed in, press Next on those pages, then sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>You are signed in as {name} ({username}), and the preparer signs as the person signed in. Type your own username, or sign in as yourself first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override {number} of {total}. Only a pharmacist may approve it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blind check by {name} ({username}), {role}. Your signature: Verified by.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the figures marked above, then sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Comparing and signing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sealing and signing the record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record was not sealed. {reason}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record could not be sealed: {reason} Nothing is lost: press Try sealing again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signing the record PDF and saving the record and the bag label…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The record {record_id} is sealed and kept, but its PDFs could not be made: {reason} Press Try sealing again to make them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amendment {number} of record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sealed at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed with the site certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both PDFs are saved in the folder {folder}:
• {record}
• {label}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SigningHost</name>
    <message>
        <source>Opening the signatures…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The signatures are opening</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the preparations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to the preparations; the signatures given are kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Leave the signatures for now. Those given are kept: the preparation stays on the list of unfinished preparations, and resuming it goes on where the signing stopped.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SigningScreens</name>
    <message>
        <source>Signatures and the sealed record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep: signatures and record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep: correction of record {record_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The patient this preparation is for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The steps of signing, and where you are</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signatures given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign the correction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign as preparer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read what you sign. Your signature means: you made this correction, for the reason given, and the corrected values are right. The record it corrects stays as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read what you sign. Your signature means: you prepared this dose as recorded. It is linked to this record and cannot be moved to another.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What you sign</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your signature: Amended by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your signature: Prepared by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who signs, and the meaning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why the username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve an override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The wizard let this warning through. A pharmacist approves it with a reason before the dose is verified; the reason is printed on the record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Which override this is</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The warning to approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pharmacist&apos;s signature: Override approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>In a few words, why this dose may go ahead, for example who confirmed what.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pharmacist&apos;s username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pharmacist&apos;s password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approve override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Independent verification: pharmacist signs in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A pharmacist who did not make this correction verifies it. Enter your own username and password. Next you work out the dose yourself (a blind check): the figures of the person correcting are not shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A pharmacist who did not prepare this dose verifies it. Enter your own username and password. Next you work out the dose yourself (a blind check): the preparer&apos;s figures are not shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying pharmacist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifier&apos;s username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifier&apos;s password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue to the blind check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blind check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the weight the dose is based on from the record named below (the weight is not shown on this screen), and work out the vial count and the dose volume yourself from it ({per_kg} mL per kg; vials = dose ÷ {per_vial} mL, rounded up). The figures of the person correcting are not shown either; they are compared when you sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the weight the dose is based on from the record named below (the weight is not shown on this screen), and work out the vial count and the dose volume yourself from it ({per_kg} mL per kg; vials = dose ÷ {per_vial} mL, rounded up). The preparer&apos;s figures are not shown either; they are compared when you sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who does the blind check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your own figures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight the dose is based on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit of the weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vials you computed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dose volume you computed, mL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dose volume you computed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another pharmacist verifies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare and sign as verifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sealing the record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What sealing does</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Both signatures are given. The preparation is now sealed into a record that cannot change, the record PDF is signed with the site certificate, and the record and the bag label are saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try sealing again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Amendment sealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Record sealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The correction is sealed as amendment {number}; record {record_id} is unchanged and the amendment names it. Print the amended record and its bag label; if the bag is still in the pharmacy, replace its label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preparation is signed and sealed; it can no longer be changed (a correction is a new amendment record). Print the record and the bag label, and put the label on the bag.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sealed record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where the PDFs are saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{name}, born {born}, MRN {mrn}, identifier {identifier}, order {order}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correction: amendment {number} of record {record_id}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2 Overrides approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>2 Overrides approved (none needed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 Person correcting signs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 Preparer signs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>3 Pharmacist verifies (blind check)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4 Record sealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5 Print record and label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>None yet.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SiteKeyDialog</name>
    <message>
        <source>Unlock the site&apos;s signing key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep: the site&apos;s signing key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the passphrase of the site&apos;s signing key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no site key on this workstation yet. One is made now to sign this record, kept in a file encrypted with the passphrase you choose here (at least {n} characters). Keep it safe: it is asked for whenever the program starts, and without it nothing can be signed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Records are signed with the site&apos;s key. Enter {question} now; it is kept only while the program runs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What to enter and why</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same passphrase again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What is wrong with what was entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock the site key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue with the site key locked: nothing can be sealed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use this passphrase</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passphrase you choose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The passphrase must have at least {n} characters; choose a longer one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two passphrases differ. Type the one you choose in both fields.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Steps</name>
    <message>
        <source>order</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>authorization and eligibility</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>patient identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight and dose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kit carton and vial count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>preparation checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>administration constraints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step {number} of {total}: {title}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed; the record is not sealed yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sealed — the record and label were not saved</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UsersWindow</name>
    <message>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Users · Hemgenix Prep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each change is signed with your password. Adding a pharmacist, giving the pharmacist role, resetting a password, enabling a disabled account and setting an employee number need a second pharmacist, who approves with their own password (Approved by).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The accounts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What happened to the last change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add an account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Employee or licence number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Full name, as printed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add the account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected account</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give a one-time password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The selected account&apos;s employee number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. E20417</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the employee number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the employee number (a second pharmacist approves)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Employee or licence &amp;number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This is your own account: another pharmacist disables or enables it, gives it a one-time password or changes its role (your own password: hemgenix-prep users change-password). Its employee number can be set here, with a second pharmacist&apos;s approval.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why your own account cannot be changed here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sign the change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approving pharmacist&apos;s username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approving pharmacist&apos;s password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason for the approval</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only where asked, e.g. two persons with the same name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your password ({who})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Second pharmacist (approves)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Their password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one-time password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the employee number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make {role}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Added the {role} account {who}. One-time password: {secret} — give it to {name} in person; it works once, to choose their own password at the sign-in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Disabled the account {who}: it can no longer sign in or sign.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enabled the account {who}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gave {who} a one-time password: {secret} — give it in person; it works once, to choose their own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The employee number of {who} is now {number} (it was {before}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The employee number of {who} is now {number}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{who} is now a {role}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WeightPage</name>
    <message>
        <source>Weight and dose</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weigh the patient today. Type the weight exactly as the scale shows it and choose its unit; say when and on which scale it was measured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prescription weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today&apos;s weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the scale shows it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit of today&apos;s weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lb</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about today&apos;s weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weight read from the scale today.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The weight in lb converted to kg</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When the weight was measured, YYYY-MM-DD HH:MM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DD HH:MM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the time now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about when it was measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>How the weight was measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the scale used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message about how it was measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dose for today&apos;s weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The dose calculation with its numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dose, vials, kit and withdrawal plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight near the edge between two kits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change from the prescription weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change from the prescription weight that needs an override</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight below the policy&apos;s kit table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>I have read the warning above. A pharmacist other than the preparer approves it, with a reason, at signing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge the below-table warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What a new weight clears</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prescription weight: {weight}, weighed on {date}. The kit was ordered on this weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When you press Next with this weight: {sentences}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Acknowledge the below-table warning to continue.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{step}. {rule}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The dose is calculated when today&apos;s weight is entered.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dose volume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{ml} mL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Genome copies</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{gc} gc</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vials needed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Withdrawal plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{vials} vials, NDC {ndc} (for {low}–{high} kg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supplied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{supplied} mL; surplus {surplus} mL is discarded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The below-table warning for {weight} was acknowledged.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>WindowMenus</name>
    <message>
        <source>Menu bar</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Hemgenix Prep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hemgenix Prep menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Lock the screen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Hemgenix Prep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>He&amp;lp</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Help menu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Guided preparation of one patient&apos;s dose of Hemgenix (etranacogene dezaparvovec-drlb).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database is still being opened.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the practice database, in memory: nothing is kept after the program closes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Site: {site}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Workstation: {workstation}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database: {database}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data folder: {folder}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{mark}: practice mode, for training only.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>self.window</name>
    <message>
        <source>Correcting record {record_id}.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <source>Sign in first: a record is corrected by the person signed in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A preparation is open in the main window. Finish it, or go back to the list of preparations (what was completed is kept), then correct the record.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
