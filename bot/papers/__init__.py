"""Papers in the state's form (Nghị định 30/2020/NĐ-CP, Phụ lục I): the tờ trình with its
annex, the Council's minutes, the draft decision and the achievement report, as .docx; the
nominee list also as .xlsx. Every text written into them is plain: never HTML-escaped."""
