"""A plan document (.docx, .pdf, .odt, .txt or pasted text) read into lines and drafted into a
campaign by rules over its structure: headings I./1./a), lists, Vietnamese dates and numerals,
plan-number patterns. No hosted model, no network."""
