'use server'
import { revalidatePath } from 'next/cache'

/** Server Action: re-renders /url on the server, as a form that saves something does. */
export async function revalidateUrlPage(): Promise<void> {
  revalidatePath('/url')
}
