// Reads each .ics file named on the command line with ical.js and prints, as JSON, what a calendar
// client would show: every event's UID, SEQUENCE, STATUS, SUMMARY and its start as wall-clock time
// in Asia/Shanghai. Exits non-zero on anything ical.js cannot parse.
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const result = {};
for (const file of process.argv.slice(2)) {
  const component = new ICAL.Component(ICAL.parse(readFileSync(file, 'utf8')));
  for (const zone of component.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  result[file] = component.getAllSubcomponents('vevent').map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = event.startDate;
    const shanghai = start.convertToZone(ICAL.TimezoneService.get('Asia/Shanghai'));
    const pad = (n) => String(n).padStart(2, '0');
    return {
      uid: event.uid,
      sequence: event.sequence,
      status: vevent.getFirstPropertyValue('status'),
      summary: event.summary,
      tzid: start.zone ? start.zone.tzid : null,
      start: `${shanghai.year}-${pad(shanghai.month)}-${pad(shanghai.day)}T${pad(shanghai.hour)}:${pad(shanghai.minute)}`,
      utc: start.toJSDate().toISOString(),
    };
  });
}
process.stdout.write(JSON.stringify(result));
