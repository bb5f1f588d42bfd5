"""PIP documents: bilingual PDFs with ReportLab, HarfBuzz shaping and bundled Noto fonts.

No Qt and no SQLAlchemy here: the PIP service fills `app.pdf.document.PipDocument` and calls
`app.pdf.render.render_pip`.
"""
