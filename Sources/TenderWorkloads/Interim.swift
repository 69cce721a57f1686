// Interim file so the target builds while the module is written; removed when it lands.
