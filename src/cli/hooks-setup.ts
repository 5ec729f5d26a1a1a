// Registers the optional consumers of a run's stream (recorder, reporter,
// Chaos Toolkit journal, share server) and the extra scenario importers.
// One import line each; main.ts imports this file once.
import '../share/hook';
import '../learn/run-hooks';
import '../record/record-hook';
import '../report/report-hook';
import '../scenario/ctk/index';
export {};
