"""Reading and writing question files: spreadsheets (xlsx/csv), Moodle GIFT and Aiken.

Parsers turn a file into :class:`~quiz.bank_io.records.ParsedItem` rows and never
touch the database; ``quiz.services.import_questions`` validates and writes them.
"""
