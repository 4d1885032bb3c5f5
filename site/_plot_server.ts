/**
 * Registers linkedom as the document Plot draws into on the server. Imported for its effect by
 * the page renderer.
 */

import { parseHTML } from "linkedom";
import { setServerDocumentFactory } from "./_plot_dom.ts";

setServerDocumentFactory(() =>
  parseHTML("<!DOCTYPE html><html><head></head><body></body></html>")
    .document as unknown as Document
);
