"""The meeting report as a document: the records it is made from (records), the PDF
(pdf, through WeasyPrint) and Annex I, the list of participants (annex)."""
