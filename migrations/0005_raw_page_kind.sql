-- A raw page may be a PDF as well as HTML. raw_pages.html holds the zlib-compressed body either
-- way (the decoded HTML as UTF-8, or the PDF's bytes as served); kind says which: 'html' or 'pdf'.

ALTER TABLE raw_pages ADD COLUMN kind TEXT NOT NULL DEFAULT 'html';
