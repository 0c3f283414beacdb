import { NextResponse } from 'next/server'
import { getClickIdFromRequest } from 'refport'

/** `GET /api/click-id` → `{ clickId }` as the server sees it: lets a test compare server and browser. */
export function GET(request: Request) {
  return NextResponse.json({ clickId: getClickIdFromRequest(request) })
}
