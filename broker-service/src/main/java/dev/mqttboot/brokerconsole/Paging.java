package dev.mqttboot.brokerconsole;

import java.util.List;

/**
 * One page of a list shown by the console.
 *
 * @param <T> the row type
 * @param rows the rows of this page
 * @param page this page's number, from 1
 * @param pages how many pages there are (at least 1)
 * @param total how many rows there are in all
 */
public record Paging<T>(List<T> rows, int page, int pages, int total) {

	/**
	 * Cut a page out of a list.
	 * @param <T> the row type
	 * @param all every row
	 * @param requested the page asked for (clamped to those that exist)
	 * @param size rows per page
	 * @return the page
	 */
	public static <T> Paging<T> of(List<T> all, int requested, int size) {
		int pages = Math.max(1, (all.size() + size - 1) / size);
		int page = Math.min(Math.max(1, requested), pages);
		int from = (page - 1) * size;
		return new Paging<>(all.subList(from, Math.min(all.size(), from + size)), page, pages, all.size());
	}

	/** @return whether there is a page before this one */
	public boolean hasPrevious() {
		return this.page > 1;
	}

	/** @return whether there is a page after this one */
	public boolean hasNext() {
		return this.page < this.pages;
	}

}
