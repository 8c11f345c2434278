/** The most rows one importFeedback request (and one CSV file) may hold. */
export const MAX_IMPORT_ROWS = 5000;
