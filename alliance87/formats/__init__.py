"""The site's date formats per language (FORMAT_MODULE_PATH): a day, its month in words, the
year, in the order and with the words each language writes them (“28 November 2018”,
“28 novembre 2018”, “28 de noviembre de 2018”). Templates and code name the format
(`DATE_FORMAT`, `DATETIME_FORMAT`, `MONTH_DAY_FORMAT`), never its letters."""
