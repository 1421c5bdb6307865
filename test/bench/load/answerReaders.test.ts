import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HttpAnswerReader } from '../../../bench/load/HttpAnswerReader.js';
import { TcpAnswerReader } from '../../../bench/load/TcpAnswerReader.js';

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

function response(body: string, status = '200 OK'): string {
  return `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n${body}`;
}

describe('TcpAnswerReader', () => {
  it('GIVEN answers of 3 × 8 bytes in arbitrary reads THEN it completes one answer per 24 bytes', () => {
    const reader = new TcpAnswerReader(3, 8);
    const ids = new Uint8Array(24 * 3);
    for (let i = 0; i < 9; i++) ids[i * 8 + 7] = i + 1; // increasing IDs 1..9
    assert.equal(reader.push(ids.subarray(0, 10)), 0);
    assert.equal(reader.push(ids.subarray(10, 24)), 1);
    assert.equal(reader.push(ids.subarray(24, 71)), 1);
    assert.equal(reader.push(ids.subarray(71)), 1);
    assert.equal(reader.ids, 9);
    assert.equal(reader.violations, 0);
  });

  it('GIVEN several whole answers in one read THEN it completes them all', () => {
    const reader = new TcpAnswerReader(1, 8);
    const ids = new Uint8Array(8 * 5);
    for (let i = 0; i < 5; i++) ids[i * 8 + 7] = i + 1;
    assert.equal(reader.push(ids.subarray(0, 4)), 0);
    assert.equal(reader.push(ids.subarray(4)), 5);
  });
});

describe('HttpAnswerReader', () => {
  it('GIVEN two keep-alive responses split across reads THEN it completes both and checks their IDs', () => {
    const reader = new HttpAnswerReader();
    const text = response('{"ids":["99"]}\n') + response('{"ids":["100","101"]}\n');
    assert.equal(reader.push(latin1(text.slice(0, 30))), 0);
    assert.equal(reader.push(latin1(text.slice(30, text.length - 3))), 1);
    assert.equal(reader.push(latin1(text.slice(text.length - 3))), 1);
    assert.equal(reader.ids, 3);
    assert.equal(reader.violations, 0);
    assert.equal(reader.errors, 0);
  });

  it('GIVEN decimal IDs that go back (a shorter number) THEN it counts a violation', () => {
    const reader = new HttpAnswerReader();
    assert.equal(reader.push(latin1(response('{"ids":["1000"]}') + response('{"ids":["999"]}'))), 2);
    assert.equal(reader.violations, 1);
  });

  it('GIVEN a non-200 response THEN it completes it and counts an error', () => {
    const reader = new HttpAnswerReader();
    assert.equal(reader.push(latin1(response('{"error":{}}', '503 Service Unavailable'))), 1);
    assert.equal(reader.errors, 1);
    assert.equal(reader.ids, 0);
  });
});
